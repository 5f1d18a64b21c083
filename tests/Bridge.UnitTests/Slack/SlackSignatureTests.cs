using System.Text;
using Bridge.Slack;
using Bridge.Tests.Infrastructure;

namespace Bridge.UnitTests.Slack;

public sealed class SlackSignatureTests
{
    // Slack's published test vector (api.slack.com, reproduced in Slack's Python SDK tests).
    private const string VectorSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string VectorTimestamp = "1531420618";
    private const string VectorSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private const string VectorBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private static readonly DateTimeOffset VectorNow = DateTimeOffset.FromUnixTimeSeconds(1531420618);

    [Fact]
    public void IsValid_SlackPublishedVector_True() =>
        Assert.True(SlackSignature.IsValid(VectorSecret, VectorTimestamp, VectorSignature, Encoding.UTF8.GetBytes(VectorBody), VectorNow));

    [Fact]
    public void IsValid_BodyChanged_False() =>
        Assert.False(SlackSignature.IsValid(VectorSecret, VectorTimestamp, VectorSignature, Encoding.UTF8.GetBytes(VectorBody + "------"), VectorNow));

    [Fact]
    public void IsValid_VectorCheckedWithTodaysClock_FalseAsExpired() =>
        Assert.False(SlackSignature.IsValid(VectorSecret, VectorTimestamp, VectorSignature, Encoding.UTF8.GetBytes(VectorBody), DateTimeOffset.UtcNow));

    [Theory]
    [InlineData(300, true)]
    [InlineData(-300, true)]
    [InlineData(301, false)]
    [InlineData(-301, false)]
    public void IsValid_ClockSkew_AcceptedWithinFiveMinutes(int skewSeconds, bool expected) =>
        Assert.Equal(expected, SlackSignature.IsValid(VectorSecret, VectorTimestamp, VectorSignature, Encoding.UTF8.GetBytes(VectorBody), VectorNow.AddSeconds(skewSeconds)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("v0=A2114D57B48EAC39B9AD189DD8316235A7B4A8D21A10BD27519666489C69B503")]
    [InlineData("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b5")]
    [InlineData("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503 ")]
    public void IsValid_MalformedSignature_False(string? signature) =>
        Assert.False(SlackSignature.IsValid(VectorSecret, VectorTimestamp, signature, Encoding.UTF8.GetBytes(VectorBody), VectorNow));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("15314206l8")]
    [InlineData("-1531420618")]
    [InlineData("1531420618.5")]
    public void IsValid_MalformedTimestamp_False(string? timestamp) =>
        Assert.False(SlackSignature.IsValid(VectorSecret, timestamp, VectorSignature, Encoding.UTF8.GetBytes(VectorBody), VectorNow));

    [Fact]
    public void IsValid_EmptySecret_NeverAccepts() =>
        Assert.False(SlackSignature.IsValid("", VectorTimestamp, VectorSignature, Encoding.UTF8.GetBytes(VectorBody), VectorNow));

    [Theory]
    [InlineData("slack-slash-command.form", "v0=493255181c73e4154f041fa65a89a288aefed38da99f4b3a9c1bcc8bb613e847")]
    [InlineData("slack-message-action.form", "v0=97a6cf3e055fc789c96d9a39c273b57c0663b37ece004c422f8b2f49ebe3ae4d")]
    [InlineData("slack-message-action-text-only.form", "v0=0ac1ec888cee62861a994f3843160fdbde58ba5b3acb00979a5d60950057891a")]
    [InlineData("slack-events-url-verification.json", "v0=e6054ea989ee95dda6adc8f0acd6cd4852919aa8f238a12480af34ef3cea3c3d")]
    [InlineData("slack-events-app-mention.json", "v0=46b7b6b2aa1d9e6642dbbc2c380c53b751b8d657612d1cc7953e286d2fecc215")]
    public void IsValid_ProjectFixtures_True(string file, string signature)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(Fixtures.Timestamp);
        Assert.True(SlackSignature.IsValid(VectorSecret, Fixtures.Timestamp.ToString(), signature, Fixtures.ReadBytes(file), now));
        Assert.False(SlackSignature.IsValid(VectorSecret, Fixtures.Timestamp.ToString(), signature, Fixtures.ReadBytes(file), now.AddSeconds(301)));
    }
}
