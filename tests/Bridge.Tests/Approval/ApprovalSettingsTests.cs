using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.Approval;

public sealed class ApprovalSettingsTests
{
    [Theory]
    [InlineData("Approval:MinParticipants", "-1", "Approval:MinParticipants must be 0 (off) or a number of members")]
    [InlineData("Approval:Lifetime", "00:00:00", "Approval:Lifetime must be a time span above zero and at most 30 days")]
    [InlineData("Approval:Lifetime", "31.00:00:00", "Approval:Lifetime must be a time span above zero and at most 30 days")]
    [InlineData("Approval:Approvers:0", "U01 U02", "Approval:Approvers must list Slack user ids and Teams AAD object ids")]
    public async Task A_bad_approval_setting_stops_start_up_with_a_sentence_naming_it(string key, string value, string sentence)
    {
        await using var app = await BridgeApp.StartAsync(a => a.Settings[key] = value);

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains(sentence, error.Message);
    }
}
