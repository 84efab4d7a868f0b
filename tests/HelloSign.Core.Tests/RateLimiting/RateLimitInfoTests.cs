using System;
using System.Collections.Generic;
using HelloSign.Core.RateLimiting;
using Xunit;

namespace HelloSign.Core.Tests.RateLimiting;

public class RateLimitInfoTests
{
    private static RateLimitInfo Read(params (string Name, string Value)[] headers)
    {
        var list = new List<KeyValuePair<string, IEnumerable<string>>>();
        foreach (var (name, value) in headers)
        {
            list.Add(new(name, new[] { value }));
        }

        return RateLimitInfo.FromHeaders(list);
    }

    [Fact]
    public void The_spec_spelling_is_read_whatever_the_case()
    {
        var info = Read(("X-RateLimit-Limit", "100"), ("x-ratelimit-remaining", "99"), ("X-Ratelimit-Reset", "1430170900"));

        Assert.Equal(100, info.Limit);
        Assert.Equal(99, info.Remaining);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1430170900), info.ResetAt);
    }

    [Fact]
    public void The_server_clock_is_read_from_the_Date_header()
    {
        var info = Read(("Date", "Sun, 29 Nov 2026 21:00:00 GMT"), ("X-RateLimit-Remaining", "5"));

        Assert.Equal(new DateTimeOffset(2026, 11, 29, 21, 0, 0, TimeSpan.Zero), info.ServerTime);
        Assert.Null(Read(("Date", "yesterday")).ServerTime);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("99999999999999999999")]
    [InlineData("")]
    [InlineData("1.5")]
    public void Garbage_values_are_ignored(string value)
    {
        var info = Read(("X-RateLimit-Limit", value), ("X-RateLimit-Remaining", value), ("X-Ratelimit-Reset", value));

        Assert.True(info.IsEmpty);
    }

    [Fact]
    public void A_reset_time_outside_any_sane_range_is_ignored()
    {
        Assert.Null(Read(("X-Ratelimit-Reset", "5")).ResetAt);
        Assert.Null(Read(("X-Ratelimit-Reset", "99999999999")).ResetAt);
    }

    [Fact]
    public void With_duplicated_headers_the_first_readable_value_wins()
    {
        var info = Read(("X-RateLimit-Remaining", "garbage"), ("X-RATELIMIT-REMAINING", "3"));

        Assert.Equal(3, info.Remaining);
    }

    [Fact]
    public void With_duplicated_headers_the_first_wins()
    {
        var info = Read(("X-RateLimit-Remaining", "7"), ("X-RATELIMIT-REMAINING", "3"));

        Assert.Equal(7, info.Remaining);
    }

    [Fact]
    public void Retry_After_is_read_in_seconds_or_as_an_HTTP_date()
    {
        var seconds = Read(("Retry-After", "12"));
        var date = Read(("Retry-After", "Sun, 29 Nov 2026 21:00:30 GMT"), ("Date", "Sun, 29 Nov 2026 21:00:00 GMT"));

        Assert.Equal(TimeSpan.FromSeconds(12), seconds.RetryAfter);
        Assert.Null(seconds.RetryAt);
        Assert.Null(date.RetryAfter);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 21, 0, 30, TimeSpan.Zero), date.RetryAt);
        Assert.Equal(TimeSpan.FromSeconds(30), date.RetryAfterFrom(DateTimeOffset.MinValue)); // from the response's Date
        Assert.False(date.IsEmpty);
        Assert.Contains("retry at 21:00:30Z", date.ToString());
    }

    [Fact]
    public void A_Retry_After_date_without_a_Date_header_is_measured_from_the_time_given()
    {
        var info = Read(("Retry-After", "Sun, 29 Nov 2026 21:00:30 GMT"));

        Assert.Equal(TimeSpan.FromSeconds(10), info.RetryAfterFrom(new DateTimeOffset(2026, 11, 29, 21, 0, 20, TimeSpan.Zero)));
    }
}
