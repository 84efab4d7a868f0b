using System;
using HelloSign.Core.Auth;
using HelloSign.Core.Http;
using HelloSign.Core.Tests.TestSupport;
using Xunit;

namespace HelloSign.Core.Tests;

public class ApiLeasesTests
{
    private static HelloSignApi NewApi() => new(TestApi.Client(new ScriptedHandler()));

    [Fact]
    public void Closing_refuses_new_leases_but_disposes_only_when_the_last_lease_ends()
    {
        var leases = new ApiLeases(NewApi());
        var first = leases.TryAcquire()!;
        var second = leases.TryAcquire()!;

        leases.Close();

        Assert.False(leases.IsOpen);
        Assert.Null(leases.TryAcquire());
        first.Dispose();
        Assert.False(leases.IsDisposed);
        Assert.Equal("Basic", second.Api.Http.Credential.CreateAuthorizationHeader().Scheme); // the key is still there
        second.Dispose();
        second.Dispose(); // a second dispose of one lease does not count twice
        Assert.True(leases.IsDisposed);
    }

    [Fact]
    public void Closing_with_no_lease_disposes_at_once()
    {
        var leases = new ApiLeases(NewApi());
        using (leases.TryAcquire())
        {
        }

        leases.Close();

        Assert.True(leases.IsDisposed);
    }
}
