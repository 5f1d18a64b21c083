namespace Bridge.Commands;

internal enum CommandVerb
{
    Send,
    Link,
    Unlink,
    Groups,
    Status,
    Scheduled,
    Cancel,
    Help,
}
