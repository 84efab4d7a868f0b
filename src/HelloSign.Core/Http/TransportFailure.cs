using System;

namespace HelloSign.Core.Http;

public enum TransportFailureKind
{
    /// <summary>No response within the per-request timeout.</summary>
    Timeout,
    /// <summary>Connection refused, reset or closed mid-response.</summary>
    Network,
    /// <summary>The server's TLS certificate was not trusted, or the handshake failed.</summary>
    Tls,
}

/// <summary>A request that got no HTTP response at all.</summary>
public sealed class TransportFailure
{
    public TransportFailure(TransportFailureKind kind, string message, TimeSpan elapsed, bool connectionRefused = false)
    {
        Kind = kind;
        Message = message;
        Elapsed = elapsed;
        ConnectionRefused = connectionRefused;
    }

    public TransportFailureKind Kind { get; }

    /// <summary>A description built from exception messages, which never include request headers.</summary>
    public string Message { get; }

    public TimeSpan Elapsed { get; }

    /// <summary>The server refused the connection: the request certainly never reached it.</summary>
    public bool ConnectionRefused { get; }
}
