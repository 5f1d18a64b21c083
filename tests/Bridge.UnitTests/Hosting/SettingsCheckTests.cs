using System.Reflection;
using Bridge.Hosting;
using Microsoft.Extensions.Configuration;

namespace Bridge.UnitTests.Hosting;

public sealed class SettingsCheckTests
{
    [Fact]
    public void A_list_given_as_one_value_is_named_with_the_keys_to_use_instead()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Admin:SlackUserIds"] = "U01ADMIN,U02ADMIN",
            ["Approval:Approvers:0"] = "U03APPROVER",
            ["Teams:AllowedServiceHosts"] = "",
        }).Build();

        Assert.Equal(
            ["Admin:SlackUserIds is a list: give each entry its own key, Admin:SlackUserIds:0, Admin:SlackUserIds:1 and so on (environment: Admin__SlackUserIds__0, Admin__SlackUserIds__1), not one value."],
            SettingsCheck.ListsGivenAsOneValue(configuration));
    }

    [Fact]
    public void Every_list_an_options_class_binds_is_checked()
    {
        var lists =
            from type in typeof(SettingsCheck).Assembly.GetTypes()
            let section = type.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as string
            where section is not null
            from property in type.GetProperties()
            where property.SetMethod?.IsPublic == true
                && (property.PropertyType == typeof(string[]) || property.PropertyType == typeof(List<string>))
            select $"{section}:{property.Name}";

        Assert.NotEmpty(lists);
        Assert.All(lists, key => Assert.Contains(key, SettingsCheck.ListKeys));
    }
}
