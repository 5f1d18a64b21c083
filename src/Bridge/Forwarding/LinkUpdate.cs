namespace Bridge.Forwarding;

/// <summary>What <see cref="ILinkStore.UpdateLinkAsync"/> did.</summary>
internal enum LinkUpdate
{
    Updated,
    NotFound,
    Duplicate,
}
