using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Bridge.Tests.Admin;

public sealed class AdminOpenApiTests
{
    private static async Task<JsonObject> DocumentAsync(HttpClient client) => (await client.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> AdminOperations(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        where path.Key.StartsWith("/admin/api/", StringComparison.Ordinal)
        from operation in path.Value!.AsObject()
        select (path.Key, operation.Key, operation.Value!.AsObject());

    [Fact]
    public async Task Every_admin_operation_requires_the_bearer_admin_key_and_lists_its_statuses()
    {
        await using var app = await AdminApp.StartAsync();

        var document = await DocumentAsync(app.CreateClient());

        var scheme = document["components"]!["securitySchemes"]!["AdminKey"]!;
        Assert.Equal(("http", "bearer"), ((string)scheme["type"]!, (string)scheme["scheme"]!));
        var operations = AdminOperations(document).ToList();
        Assert.True(operations.Count >= 9);
        foreach (var (path, method, operation) in operations)
        {
            var requirement = Assert.Single(operation["security"]!.AsArray())!.AsObject();
            Assert.True(requirement.ContainsKey("AdminKey"), $"{method} {path}");
            var statuses = operation["responses"]!.AsObject().Select(r => r.Key).ToList();
            Assert.Contains("401", statuses);
            Assert.Contains("429", statuses);
        }

        string[] Statuses(string path, string method) =>
            [.. operations.Single(o => o.Path == path && o.Method == method).Operation["responses"]!.AsObject().Select(r => r.Key).Order()];
        Assert.Equal(["200", "401", "404", "429"], Statuses("/admin/api/links/{id}", "get"));
        Assert.Equal(["201", "400", "401", "404", "409", "415", "429", "502", "503"], Statuses("/admin/api/links", "post"));
        Assert.Equal(["204", "401", "404", "429"], Statuses("/admin/api/links/{id}", "delete"));
        Assert.Equal(["200", "401", "404", "429", "502", "503"], Statuses("/admin/api/phones", "get"));
        Assert.Equal(["200", "400", "401", "404", "429", "502", "503"], Statuses("/admin/api/groups", "get"));
        Assert.Equal(["200", "400", "401", "429"], Statuses("/admin/api/deliveries", "get"));
    }

    [Fact]
    public async Task The_servers_name_the_public_url_and_never_the_host_a_client_sent()
    {
        await using var app = await AdminApp.StartAsync(a => a.Settings["Bridge:PublicBaseUrl"] = "https://bridge.example.com/");
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Host = "evil.example.net";

        var document = await DocumentAsync(client);

        Assert.Equal("https://bridge.example.com", (string)Assert.Single(document["servers"]!.AsArray())!["url"]!);
        Assert.DoesNotContain("evil.example.net", document.ToJsonString());
    }

    [Fact]
    public async Task Without_a_public_url_the_document_names_no_server()
    {
        await using var app = await AdminApp.StartAsync(a => a.Settings["Bridge:PublicBaseUrl"] = "");
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Host = "evil.example.net";

        var document = await DocumentAsync(client);

        Assert.True(document["servers"] is null || document["servers"]!.AsArray().Count == 0);
        Assert.DoesNotContain("evil.example.net", document.ToJsonString());
    }

    public static TheoryData<string, string, string, int> UnreadableBodies => new()
    {
        { "malformed JSON", "{\"platform\": \"Slack\",", "application/json", 400 },
        { "a number where a string goes", "{\"platform\": 5, \"workspaceId\": \"T1\", \"channelId\": \"C1\", \"groupId\": \"1@g.us\"}", "application/json", 400 },
        { "an array for the whole body", "[1, 2]", "application/json", 400 },
        { "an empty body", "", "application/json", 400 },
        { "null", "null", "application/json", 400 },
        { "a text body", "platform=Slack", "text/plain", 415 },
        { "a form", "platform=Slack", "application/x-www-form-urlencoded", 415 },
    };

    /// <summary>Every POST operation of the document that takes a body, so routes added later are covered too.</summary>
    [Theory]
    [MemberData(nameof(UnreadableBodies))]
    public async Task A_body_that_cannot_be_read_gets_a_problem_that_says_why_on_every_post_route(string kind, string body, string contentType, int status)
    {
        await using var app = await AdminApp.StartAsync();
        var client = app.Api();
        // An optional body (a retry's confirmation) may be empty, null or lack a field; it must still be JSON of the right shape.
        var readsAnyObject = kind is "an empty body" or "null" or "a number where a string goes";
        var routes = AdminOperations(await DocumentAsync(client))
            .Where(o => o.Method == "post" && o.Operation["requestBody"] is JsonObject requestBody
                && (!readsAnyObject || requestBody["required"]?.GetValue<bool>() == true))
            .Select(o => o.Path.Replace("{id}", "1", StringComparison.Ordinal))
            .ToList();
        Assert.Contains("/admin/api/links", routes);
        Assert.Equal(!readsAnyObject, routes.Contains("/admin/api/deliveries/1/retry"));

        foreach (var route in routes)
        {
            using var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new(contentType);
            var response = await client.PostAsync(route, content);

            Assert.True(status == (int)response.StatusCode, $"{kind} to {route}: {(int)response.StatusCode}");
            Assert.True("application/problem+json" == response.Content.Headers.ContentType?.MediaType, $"{kind} to {route}: {response.Content.Headers.ContentType} {await response.Content.ReadAsStringAsync()}");
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            Assert.Equal(status, (int)problem["status"]!);
            Assert.True(
                problem["detail"] is JsonValue detail && ((string)detail!).Length > 0 || problem["errors"] is JsonObject { Count: > 0 },
                $"{kind} to {route}: {problem.ToJsonString()}");
        }

        Assert.Empty(await app.LinkStore.ListLinksAsync(null, null, null, default));
    }
}
