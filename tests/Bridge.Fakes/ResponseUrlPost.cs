using System.Text.Json.Nodes;

namespace Bridge.Fakes;

/// <summary>A post to a response_url: its text and, for Block Kit answers, the whole body (blocks, replace_original).</summary>
public sealed record ResponseUrlPost(string Id, string Text, string Authorization, JsonObject? Body = null)
{
    /// <summary>The <c>replace_original</c> sent, null when none was.</summary>
    public bool? ReplaceOriginal => (bool?)Body?["replace_original"];

    /// <summary>The Block Kit blocks sent; null when there were none.</summary>
    public JsonArray? Blocks => Body?["blocks"]?.AsArray();
}
