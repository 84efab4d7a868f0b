namespace HelloSign.Emulator.Tests;

public sealed class EventHashTests
{
    private const string ReferenceApiKey = "324e3b0840f065eb51f3fd63231d0d33daa35d4ed10d27718839e81737065782";

    // Test vectors from the API reference, section 6.
    [Theory]
    [InlineData("account_confirmed", "ff8b03439122f9160500c3fb855bdee5a9ccba5fff27d3b258745d8f3074832f")]
    [InlineData("signature_request_canceled", "45e39076aaf2feefca349606cbbfa423c4d12a855fab23a619107e31b6e415a5")]
    public void Event_hash_matches_the_reference_vectors(string eventType, string expectedHash)
    {
        Assert.Equal(expectedHash, EventHash.Compute(ReferenceApiKey, "1669926463", eventType));
    }
}
