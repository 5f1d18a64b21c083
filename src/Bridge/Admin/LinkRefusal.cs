namespace Bridge.Admin;

/// <summary>Why a link was not created: an HTTP status, a title, and the reason (per field for bad input).</summary>
internal sealed record LinkRefusal(int Status, string Title, string Detail, IReadOnlyList<LinkFieldError> Errors);
