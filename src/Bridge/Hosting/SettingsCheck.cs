using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Bridge.Admin;
using Bridge.Forwarding;
using Bridge.Media;
using Bridge.Slack;
using Bridge.Teams;
using Microsoft.Extensions.Options;

namespace Bridge.Hosting;

/// <summary>
/// Validates every setting before anything else starts, so a wrong value stops start-up with one line per problem that
/// names the key and what it may be, on stderr, instead of the host's stack trace and the runtime's abort (exit code
/// 134).
/// </summary>
internal static class SettingsCheck
{
    private const string DataAnnotationFailure = "DataAnnotation validation failed";

    /// <summary>
    /// The settings that are lists. Configuration reads a list only from numbered keys (<c>Admin:SlackUserIds:0</c>;
    /// in the environment <c>Admin__SlackUserIds__0</c>), so a list given as one value (<c>Admin__SlackUserIds=U1,U2</c>)
    /// would bind as an empty list and be ignored without a word: admins would then be every workspace admin.
    /// </summary>
    internal static readonly string[] ListKeys =
    [
        SlackOptions.AdminUserIdsKey,
        TeamsOptions.AdminUserIdsKey,
        $"{ApprovalOptions.Section}:{nameof(ApprovalOptions.Approvers)}",
        $"{ProxyOptions.Section}:{nameof(ProxyOptions.TrustedProxies)}",
        $"{TeamsOptions.Section}:{nameof(TeamsOptions.AllowedServiceHosts)}",
        $"{MediaOptions.Section}:{nameof(MediaOptions.TeamsFileHosts)}",
        ConfiguredLink.Section,
    ];

    /// <summary>False when a setting is invalid; its problems are reported.</summary>
    public static bool CheckSettings(this WebApplication app)
    {
        var problems = ListsGivenAsOneValue(app.Configuration).ToList();
        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        // Hosted by another program (WebApplicationFactory, in the tests), the exception is that program's to handle.
        catch (Exception exception) when (Failures(exception) is { Count: > 0 } failures && Assembly.GetEntryAssembly() == typeof(SettingsCheck).Assembly)
        {
            problems.AddRange(failures.SelectMany(failure => Problems(failure, app.Configuration)));
        }

        foreach (var problem in problems.Distinct())
        {
            Console.Error.WriteLine(problem);
        }

        return problems.Count == 0;
    }

    /// <summary>A sentence for each list setting given one value; an empty value is an empty list, as intended.</summary>
    internal static IEnumerable<string> ListsGivenAsOneValue(IConfiguration configuration) =>
        from key in ListKeys
        where !string.IsNullOrWhiteSpace(configuration[key])
        let variable = key.Replace(":", "__", StringComparison.Ordinal)
        select $"{key} is a list: give each entry its own key, {key}:0, {key}:1 and so on (environment: {variable}__0, {variable}__1), not one value.";

    private static List<OptionsValidationException> Failures(Exception exception) => exception switch
    {
        OptionsValidationException single => [single],
        AggregateException many => [.. many.InnerExceptions.OfType<OptionsValidationException>()],
        _ => [],
    };

    /// <summary>
    /// The validators' own sentences name their keys already; a data-annotation failure names only a property, so the
    /// options are bound again and each failing attribute is put in words with the key.
    /// </summary>
    private static IEnumerable<string> Problems(OptionsValidationException failure, IConfiguration configuration)
    {
        if (!failure.Failures.Any(IsAnnotationFailure) || failure.OptionsType.GetField("Section")?.GetValue(null) is not string section)
        {
            return failure.Failures;
        }

        var options = Activator.CreateInstance(failure.OptionsType)!;
        configuration.GetSection(section).Bind(options);
        var annotated =
            from property in failure.OptionsType.GetProperties()
            from attribute in property.GetCustomAttributes<ValidationAttribute>()
            where !attribute.IsValid(property.GetValue(options))
            select Sentence($"{section}:{property.Name}", property.PropertyType, attribute);
        return annotated.Concat(failure.Failures.Where(message => !IsAnnotationFailure(message)));
    }

    private static bool IsAnnotationFailure(string message) => message.StartsWith(DataAnnotationFailure, StringComparison.Ordinal);

    private static string Sentence(string key, Type type, ValidationAttribute attribute) => attribute switch
    {
        AllowedValuesAttribute allowed => $"{key} must be one of: {string.Join(", ", allowed.Values)}.",
        RangeAttribute range when type == typeof(TimeSpan) =>
            $"{key} must be a time span between {range.Minimum} and {range.Maximum}, written [days.]hours:minutes:seconds (30 seconds is 00:00:30; a plain 30 is 30 days).",
        RangeAttribute range => $"{key} must be between {range.Minimum} and {range.Maximum}.",
        // Bridge's own ErrorMessage names the key already; the framework's default puts the key where it says {0}.
        _ => attribute.FormatErrorMessage(key),
    };
}
