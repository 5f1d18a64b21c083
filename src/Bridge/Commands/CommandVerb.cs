namespace Bridge.Commands;

internal enum CommandVerb
{
    Send,
    Link,
    Unlink,
    Groups,
    Status,
    Help,
}
