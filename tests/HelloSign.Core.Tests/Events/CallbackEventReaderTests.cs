using System.Text;
using HelloSign.Core.Events;
using HelloSign.Core.Tests.TestSupport;
using Xunit;

namespace HelloSign.Core.Tests.Events;

public class CallbackEventReaderTests
{
    // Test vectors from the API reference (§6), computed from the official SDK example.
    private const string Key = "324e3b0840f065eb51f3fd63231d0d33daa35d4ed10d27718839e81737065782";
    private const string Time = "1669926463";

    private static string Canceled(string hash, string type = "signature_request_canceled") =>
        "{\"event\":{\"event_time\":\"" + Time + "\",\"event_type\":\"" + type + "\",\"event_hash\":\"" + hash + "\"," +
        "\"event_metadata\":{\"related_signature_id\":null,\"reported_for_account_id\":\"6421d70b9bd45059fa207d03ab8d1b96515b472c\",\"reported_for_app_id\":null,\"event_message\":null}}," +
        "\"signature_request\":{\"signature_request_id\":\"fa5c8a0b0f492d768749333ad6fcc214c111e967\",\"title\":\"\",\"metadata\":{},\"created_at\":0,\"signatures\":[]}}";

    [Theory]
    [InlineData("account_confirmed", "ff8b03439122f9160500c3fb855bdee5a9ccba5fff27d3b258745d8f3074832f")]
    [InlineData("signature_request_canceled", "45e39076aaf2feefca349606cbbfa423c4d12a855fab23a619107e31b6e415a5")]
    public void The_hash_matches_the_reference_vectors(string type, string expected)
    {
        var key = Encoding.UTF8.GetBytes(Key);

        Assert.Equal(expected, EventHash.Compute(key, Time, type));
        Assert.True(EventHash.Matches(key, Time, type, expected));
        Assert.True(EventHash.Matches(key, Time, type, expected.ToUpperInvariant()));
    }

    [Theory]
    [InlineData("45e39076aaf2feefca349606cbbfa423c4d12a855fab23a619107e31b6e415a4")] // last digit changed
    [InlineData("45e39076aaf2feefca349606cbbfa423c4d12a855fab23a619107e31b6e415a")] // one digit short
    [InlineData("")]
    [InlineData(null)]
    public void A_wrong_hash_does_not_match(string? hash)
    {
        Assert.False(EventHash.Matches(Encoding.UTF8.GetBytes(Key), Time, "signature_request_canceled", hash));
    }

    [Fact]
    public void A_tampered_event_type_does_not_match()
    {
        Assert.False(EventHash.Matches(Encoding.UTF8.GetBytes(Key), Time, "signature_request_signed", "45e39076aaf2feefca349606cbbfa423c4d12a855fab23a619107e31b6e415a5"));
    }

    [Fact]
    public void A_raw_json_body_reads_into_a_typed_event()
    {
        var (read, error) = CallbackEventReader.Read(Canceled("45e39076aaf2feefca349606cbbfa423c4d12a855fab23a619107e31b6e415a5"));

        Assert.Null(error);
        Assert.Equal("signature_request_canceled", read!.EventType);
        Assert.Equal(Time, read.EventTimeText);
        Assert.Equal(new System.DateTimeOffset(2022, 12, 1, 20, 27, 43, System.TimeSpan.Zero), read.EventTime);
        Assert.Equal("fa5c8a0b0f492d768749333ad6fcc214c111e967", read.SignatureRequestId);
        Assert.Equal("6421d70b9bd45059fa207d03ab8d1b96515b472c", read.AccountId);
        Assert.Equal("account_callback", read.CallbackType);
    }

    [Fact]
    public void A_multipart_body_yields_its_json_field()
    {
        var json = Canceled("x");
        var body = "--XyZ\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n" + json + "\r\n--XyZ--\r\n";

        var (read, error) = CallbackEventReader.Read(body);

        Assert.Null(error);
        Assert.Equal(json, read!.Json);
    }

    [Fact]
    public void An_urlencoded_form_yields_its_json_field()
    {
        var json = Canceled("x");

        var (read, _) = CallbackEventReader.Read("json=" + System.Uri.EscapeDataString(json));

        Assert.Equal("signature_request_canceled", read!.EventType);
    }

    [Fact]
    public void The_spec_examples_read()
    {
        foreach (var example in new[] { "EventCallbackAccountSignatureRequestSent", "EventCallbackAppSignatureRequestSent" })
        {
            var (read, error) = CallbackEventReader.Read(SpecExample.Read(example));

            Assert.Null(error);
            Assert.Equal("signature_request_sent", read!.EventType);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{")]
    [InlineData("{\"event\":5}")]
    [InlineData("{\"event\":{\"event_type\":\"x\"}}")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"event\":{\"event_time\":\"1\",\"event_type\":\"\\ud800\"}}")] // a lone surrogate escape (found by fuzzing)
    [InlineData("{\"event\":{\"event_time\":\"1\",\"event_type\":\"x\"},\"signature_request\":{\"metadata\":{\"b\\udc00_\":1}}}")]
    [InlineData("--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b--")]
    public void Malformed_bodies_give_a_reason_and_never_throw(string body)
    {
        var (read, error) = CallbackEventReader.Read(body);

        Assert.Null(read);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
