namespace Bridge.Fakes;

/// <summary>
/// A file the fake serves; <see cref="RedirectTo"/> answers 302 there, <see cref="SignInPage"/> answers as when files:read
/// is missing, <see cref="Chunked"/> sends no Content-Length, <see cref="Stall"/> sends the headers, then the body as its
/// <see cref="Trickle"/> does, never all of it.
/// </summary>
public sealed record FakeSlackFile(byte[] Content, string ContentType, string? RedirectTo = null, bool SignInPage = false, bool Chunked = false,
    Trickle? Stall = null);
