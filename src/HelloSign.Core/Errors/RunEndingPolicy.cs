namespace HelloSign.Core.Errors;

/// <summary>
/// The one rule, used by every command and every kind of call (cancel, remove, get, the -Wait poll, raw calls),
/// for which failures end a whole run instead of one item: those where every later request would fail the same way.
/// </summary>
public static class RunEndingPolicy
{
    /// <summary>
    /// A refused key or token, a TLS failure (the server's certificate is not trusted) and a redirect (the base URI
    /// points somewhere the module will not follow with credentials) say nothing about the item and everything
    /// about the connection.
    /// </summary>
    public static bool EndsRun(ApiFailureKind kind) =>
        kind is ApiFailureKind.Unauthorized or ApiFailureKind.Tls or ApiFailureKind.Redirect;

    public static bool EndsRun(ApiFailure failure) => EndsRun(failure.Kind);
}
