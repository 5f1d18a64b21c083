namespace Bridge.Admin;

/// <summary>The optional body of <c>POST /admin/api/deliveries/{id}/retry</c>.</summary>
/// <param name="Confirm">Required for a possibly delivered job: the admin knows the message may reach the group twice.</param>
internal sealed record RetryRequest(bool Confirm);
