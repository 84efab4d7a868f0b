using System;
using System.Globalization;
using Xunit;

namespace HelloSign.Core.Tests.Models;

public class TimeDisplayTests
{
    private static readonly DateTimeOffset Instant = new(2026, 9, 25, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_time_is_shown_year_first_in_the_local_zone_with_its_offset()
    {
        var shown = TimeDisplay.Local(Instant.ToOffset(TimeSpan.FromHours(2)));

        var local = Instant.ToLocalTime();
        var sign = local.Offset < TimeSpan.Zero ? "-" : "+";
        Assert.Equal($"{local:yyyy-MM-dd HH:mm} {sign}{local.Offset:hh\\:mm}", shown);
        Assert.Equal(Instant, DateTimeOffset.ParseExact(shown!, TimeDisplay.Format, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_utc_DateTime_is_shown_as_the_same_instant()
    {
        Assert.Equal(TimeDisplay.Local(Instant), TimeDisplay.Local(Instant.UtcDateTime));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2026-09-25")]
    public void Anything_but_a_time_shows_nothing(object? value)
    {
        Assert.Null(TimeDisplay.Local(value));
    }
}
