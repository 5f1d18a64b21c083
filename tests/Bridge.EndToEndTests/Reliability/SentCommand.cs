namespace Bridge.EndToEndTests.Reliability;

/// <summary>
/// A <c>/whatsapp</c> command one test client sent: its <paramref name="Number"/> in that client's sequence, the linked
/// group it went to, the replica that took it and Bridge's answer (no status: the connection failed). Its
/// <paramref name="Text"/> is unique and names its response_url too.
/// </summary>
internal sealed record SentCommand(int Client, int Number, int Group, string Text, int Replica, int? Status, string Answer)
{
    /// <summary>Answered at once that it is being sent.</summary>
    public bool AcceptedAtOnce => Status == 200 && Answer.Contains("Sending to WhatsApp group", StringComparison.Ordinal);

    /// <summary>Answered that the answer follows through response_url (it took longer than Slack's ack budget).</summary>
    public bool AnsweredLater => Status == 200 && Answer.Contains("Working on it", StringComparison.Ordinal);
}
