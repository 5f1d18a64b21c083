namespace Bridge.Forwarding;

internal enum Platform
{
    Slack,
    Teams,
}
