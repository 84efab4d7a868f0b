using System;

namespace HelloSign.Core;

/// <summary>
/// Keeps a connection's API (its HTTP client and credential) alive while any command uses it. Closing stops new
/// leases at once, but the API is disposed only when the last lease ends, so a Disconnect or a reconnect in one
/// runspace never breaks a command running on the same connection in another.
/// </summary>
public sealed class ApiLeases
{
    private readonly object _gate = new();
    private readonly HelloSignApi _api;
    private int _leases;
    private bool _closed;

    public ApiLeases(HelloSignApi api)
    {
        _api = api ?? throw new ArgumentNullException(nameof(api));
    }

    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return !_closed;
            }
        }
    }

    private bool _disposed;

    /// <summary>True when closed and every lease has ended, so the API has been disposed.</summary>
    public bool IsDisposed
    {
        get
        {
            lock (_gate)
            {
                return _disposed;
            }
        }
    }

    /// <summary>A lease for one command's run, or null when the connection is closed.</summary>
    public ApiLease? TryAcquire()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return null;
            }

            _leases++;
            return new ApiLease(this, _api);
        }
    }

    /// <summary>No new leases; the API goes when the last one ends (now, when none is held).</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            DisposeIfUnused();
        }
    }

    internal void Release()
    {
        lock (_gate)
        {
            _leases--;
            DisposeIfUnused();
        }
    }

    private void DisposeIfUnused()
    {
        if (_closed && _leases == 0 && !_disposed)
        {
            _disposed = true;
            _api.Dispose();
        }
    }
}

/// <summary>One command's hold on a connection's API; dispose it when the command ends.</summary>
public sealed class ApiLease : IDisposable
{
    private ApiLeases? _owner;

    internal ApiLease(ApiLeases owner, HelloSignApi api)
    {
        _owner = owner;
        Api = api;
    }

    public HelloSignApi Api { get; }

    public void Dispose()
    {
        _owner?.Release();
        _owner = null;
    }
}
