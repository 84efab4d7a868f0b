using HelloSign.Core.Models;
using Xunit;

namespace HelloSign.Core.Tests.Models;

public class JsonReadingTests
{
    [Theory]
    [InlineData("1e400", double.PositiveInfinity)]
    [InlineData("-1e400", double.NegativeInfinity)]
    [InlineData("1e-400", 0.0)]
    [InlineData("0.1", 0.1)]
    [InlineData("123456789012345678901234567890", 1.2345678901234568e29)]
    public void A_number_that_is_not_a_long_reads_as_a_double_on_every_runtime(string number, double expected)
    {
        Assert.True(JsonReading.TryRead(number, JsonReading.ToPlainValue, out var value));

        Assert.Equal(expected, Assert.IsType<double>(value));
    }

    [Fact]
    public void A_whole_number_reads_as_a_long()
    {
        Assert.True(JsonReading.TryRead("1669926463", JsonReading.ToPlainValue, out var value));

        Assert.Equal(1669926463L, Assert.IsType<long>(value));
    }
}
