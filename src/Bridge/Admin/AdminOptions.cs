namespace Bridge.Admin;

internal sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>Bearer key for <c>/admin/api</c> and the admin page; generated at first start when empty.</summary>
    public string? ApiKey { get; set; }
}
