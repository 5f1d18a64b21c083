namespace Bridge.Forwarding;

public enum Platform
{
    Slack,
    Teams,
}
