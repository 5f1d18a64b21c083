using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bridge.Tests.Teams;

/// <summary>Mints Bot Connector tokens the way the Connector does (PROTOCOLS.md B1), with keys made in the tests.</summary>
public static class BotTokens
{
    public const string Issuer = "https://api.botframework.com";

    public static string Mint(SecurityKey key, string serviceUrl, string audience = FakeBotFramework.AppId, string issuer = Issuer,
        DateTime? expires = null, string algorithm = SecurityAlgorithms.RsaSha256, bool withServiceUrl = true)
    {
        var expiry = expires ?? DateTime.UtcNow.AddMinutes(30);
        var claims = new Dictionary<string, object>();
        if (withServiceUrl)
        {
            claims["serviceurl"] = serviceUrl;
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = expiry.AddMinutes(-60),
            NotBefore = expiry.AddMinutes(-60),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(key, algorithm),
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise valid claims.</summary>
    public static string Unsigned(string serviceUrl)
    {
        var exp = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds();
        var header = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("""{"alg":"none","typ":"JWT","kid":"k1"}"""));
        var payload = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(
            $$"""{"iss":"{{Issuer}}","aud":"{{FakeBotFramework.AppId}}","serviceurl":"{{serviceUrl}}","nbf":{{exp - 3600}},"exp":{{exp}}}"""));
        return $"{header}.{payload}.";
    }
}
