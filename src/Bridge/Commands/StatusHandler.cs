using System.Text;
using Bridge.Forwarding;
using Bridge.WhatsApp;

namespace Bridge.Commands;

/// <summary><c>status</c>: the channel's links and whether each WhatsApp phone is connected.</summary>
internal sealed class StatusHandler(ILinkStore store, TalkNTalkClient whatsApp)
{
    public async Task<string> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var links = await store.GetLinksAsync(request.Channel, cancellationToken);
        if (links.Count == 0)
        {
            return ForwardOutcome.NotLinkedSentence(request.Usage);
        }

        var phones = await whatsApp.ListPhonesAsync(cancellationToken);
        var text = new StringBuilder("This channel sends to:\n");
        foreach (var link in links)
        {
            var phone = phones.FirstOrDefault(p => p.ChatId == link.SessionId);
            var state = phone switch
            {
                null => "⚠️ its phone is not in the organisation any more",
                { IsOpen: true } => "✅ phone connected (open)",
                _ => $"⚠️ phone not connected ({phone.Status}): reconnect it in the TalkNTalk dashboard",
            };
            text.Append($"• {link.GroupName} ({link.GroupId}){(link.Paused ? " ⏸️ paused: nothing is sent there" : "")}: {state}\n");
        }

        return text.ToString().TrimEnd();
    }
}
