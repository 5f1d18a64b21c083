using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bridge.Forwarding;
using Bridge.Tests.Admin;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Approval;

public sealed class ApprovalAdminTests
{
    [Fact]
    public async Task The_admin_API_marks_a_link_as_requiring_approval_and_its_sends_wait_for_a_preview()
    {
        await using var app = await AdminApp.StartAsync();
        var link = await app.LinkAsync();

        var marked = await app.Api().PatchAsJsonAsync($"/admin/api/links/{link.Id}", new { requiresApproval = true });

        Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
        Assert.True((bool)(await marked.Content.ReadFromJsonAsync<JsonObject>())!["requiresApproval"]!);
        var listed = (await app.Api().GetFromJsonAsync<JsonArray>("/admin/api/links"))!;
        Assert.True((bool)listed.Single()!["requiresApproval"]!);
        Assert.False((bool)listed.Single()!["paused"]!);

        await app.SlashCommandAsync("Held by the link");
        await app.Slack.WaitForResponsesAsync(1);
        Assert.Contains(app.Slack.Responses.Single().Body!["blocks"]!.AsArray(), b => (string?)b!["type"] == "actions");
        Assert.Empty(await app.ForwardStore.QueryJobsAsync(new DeliveryQuery(), default));

        var unmarked = await app.Api().PatchAsJsonAsync($"/admin/api/links/{link.Id}", new { requiresApproval = false });
        Assert.False((bool)(await unmarked.Content.ReadFromJsonAsync<JsonObject>())!["requiresApproval"]!);
        await app.SlashCommandAsync("Goes at once");
        await app.WhatsApp.WaitForSendsAsync(1);
        Assert.Equal("Goes at once", Assert.Single(app.WhatsApp.Sends).Message);
    }

    [Fact]
    public async Task The_admin_page_requires_approval_for_a_link_with_a_button_and_shows_it_in_the_links_table()
    {
        await using var app = await AdminApp.StartAsync();
        var link = await app.LinkAsync();
        var client = AdminPageTests.Browser(app);
        await AdminPageTests.SignInAsync(client, AdminApp.Key);
        var page = await AdminPageTests.ReadAsync(await client.GetAsync("/admin"));
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        Assert.Equal("Require approval", page.QuerySelector($"#link-{link.Id} input[name=requiresApproval][value=true] + button")!.TextContent);

        var required = await client.PostAsync($"/admin/links/{link.Id}/edit",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["requiresApproval"] = "true" }));

        Assert.Equal("/admin?done=approval-required#links", required.Headers.Location!.OriginalString);
        Assert.True(Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default)).RequiresApproval);
        var after = await AdminPageTests.ReadAsync(await client.GetAsync("/admin?done=approval-required"));
        Assert.Equal("needs approval", after.QuerySelector($"#link-{link.Id} .badge.approval")!.TextContent);
        Assert.Equal("Stop requiring approval", after.QuerySelector($"#link-{link.Id} input[name=requiresApproval][value=false] + button")!.TextContent);
        Assert.Contains("Every send to this link's group now waits for its preview to be approved.", after.Body!.TextContent);
    }

    [Fact]
    public async Task A_requiresApproval_that_is_not_true_or_false_is_refused_and_changes_nothing()
    {
        await using var app = await AdminApp.StartAsync();
        var link = await app.LinkAsync();

        var response = await app.Api().PatchAsync($"/admin/api/links/{link.Id}",
            new StringContent("""{"requiresApproval":"yes"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(Assert.Single(await app.LinkStore.ListLinksAsync(null, null, null, default)).RequiresApproval);
    }
}
