namespace Bridge.Hosting;

/// <summary>
/// The privacy statement and terms of use that the Teams app manifest links to (developer.privacyUrl and
/// developer.termsOfUseUrl must answer: https://learn.microsoft.com/microsoftteams/platform/resources/schema/manifest-schema#developer).
/// They describe what this deployment does; an organisation with its own policies points the manifest elsewhere.
/// </summary>
internal static class PolicyPages
{
    private const string Privacy = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Bridge: privacy</title></head>
        <body>
        <h1>Privacy</h1>
        <p>Bridge forwards messages that people in Slack or Microsoft Teams choose to send to linked WhatsApp groups.
        It is run by the organisation that installed it, which is responsible for the data described here.</p>
        <h2>What Bridge keeps</h2>
        <ul>
        <li>Each forwarded message: its text, the sender's Slack or Teams user id and name, the channel, and the
        WhatsApp message ids or the error of each delivery. This delivery history is what lets admins see what was sent.</li>
        <li>Files attached to a forwarded message, re-hosted so WhatsApp can fetch them, for the media lifetime
        (24 hours unless the operator changed <code>Media:Lifetime</code>), then deleted.</li>
        <li>The links between channels and WhatsApp groups that admins create.</li>
        </ul>
        <h2>What Bridge does not do</h2>
        <ul>
        <li>It reads only the messages it is mentioned in, sent a command, or asked to forward.</li>
        <li>It sends message content to nobody but the WhatsApp API provider, to deliver it to the linked groups.</li>
        <li>It writes no message text, phone number or secret to its logs.</li>
        </ul>
        <p>Questions and deletion requests go to the organisation's admins of Bridge.</p>
        </body></html>
        """;

    private const string Terms = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Bridge: terms of use</title></head>
        <body>
        <h1>Terms of use</h1>
        <p>Bridge is operated by the organisation that installed it, for its own members.</p>
        <ul>
        <li>Forward only what you may share with the members of the linked WhatsApp groups.</li>
        <li>A message sent to WhatsApp cannot be taken back by Bridge.</li>
        <li>Delivery depends on Slack, Microsoft Teams and the WhatsApp API provider; Bridge reports every outcome it learns
        in the thread, and admins can see the delivery history.</li>
        </ul>
        <p>The organisation's own policies for messaging and data apply.</p>
        </body></html>
        """;

    public static IEndpointRouteBuilder MapPolicyPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/privacy", (HttpContext context) => Page(context, Privacy));
        endpoints.MapGet("/terms", (HttpContext context) => Page(context, Terms));
        return endpoints;
    }

    private static IResult Page(HttpContext context, string html)
    {
        // Static text with no scripts or styles: the strictest policy fits.
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
