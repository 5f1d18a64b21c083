namespace Bridge.Admin;

/// <summary>A page of the delivery history, newest first.</summary>
internal sealed record DeliveryPage(IReadOnlyList<DeliveryView> Items, int Skip, int Take, bool HasMore);
