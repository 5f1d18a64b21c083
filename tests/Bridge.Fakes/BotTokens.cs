using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Fakes;

/// <summary>
/// Mints inbound tokens the way the Bot Connector and Entra do, with keys made in the tests: Bot
/// Framework tokens carry <c>serviceurl</c>, Entra tokens carry <c>tid</c> instead.
/// </summary>
public static class BotTokens
{
    public const string Issuer = "https://api.botframework.com";

    public static string Mint(SecurityKey key, string serviceUrl, string audience = FakeBotFramework.AppId, string issuer = Issuer,
        DateTime? expires = null, string algorithm = SecurityAlgorithms.RsaSha256, bool withServiceUrl = true)
    {
        var claims = new Dictionary<string, object>();
        if (withServiceUrl)
        {
            claims["serviceurl"] = serviceUrl;
        }

        return Create(key, issuer, audience, claims, expires ?? DateTime.UtcNow.AddMinutes(30), algorithm: algorithm);
    }

    /// <summary>An Entra access token for the bot, as Teams sends to single-tenant bots.</summary>
    public static string MintEntra(SecurityKey key, string issuer, string tid, string audience = FakeBotFramework.AppId,
        DateTime? expires = null, DateTime? notBefore = null, bool withExpiry = true)
    {
        var expiry = expires ?? DateTime.UtcNow.AddMinutes(30);
        var claims = new Dictionary<string, object> { ["tid"] = tid, ["appid"] = "00000000-0000-0000-0000-000000000000" };
        return Create(key, issuer, audience, claims, withExpiry ? expiry : null, notBefore ?? expiry.AddMinutes(-60));
    }

    private static string Create(SecurityKey key, string issuer, string audience, Dictionary<string, object> claims, DateTime? expires,
        DateTime? notBefore = null, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var from = notBefore ?? expires!.Value.AddMinutes(-60);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = from,
            NotBefore = from,
            Expires = expires,
            SigningCredentials = new SigningCredentials(key, algorithm),
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise valid claims.</summary>
    public static string Unsigned(string serviceUrl, string issuer = Issuer, string? tid = null)
    {
        var exp = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds();
        var header = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("""{"alg":"none","typ":"JWT","kid":"k1"}"""));
        var extra = tid is null ? $"\"serviceurl\":\"{serviceUrl}\"" : $"\"tid\":\"{tid}\"";
        var payload = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(
            $$"""{"iss":"{{issuer}}","aud":"{{FakeBotFramework.AppId}}",{{extra}},"nbf":{{exp - 3600}},"exp":{{exp}}}"""));
        return $"{header}.{payload}.";
    }
}
