using Microsoft.Identity.Client;

namespace Bridge.Teams;

/// <summary>MSAL's HTTP calls go through the named client, so that its handler is pooled and configured in one place.</summary>
internal sealed class TeamsMsalHttpClientFactory(IHttpClientFactory httpClients) : IMsalHttpClientFactory
{
    public HttpClient GetHttpClient() => httpClients.CreateClient(TeamsTokenProvider.HttpClientName);
}
