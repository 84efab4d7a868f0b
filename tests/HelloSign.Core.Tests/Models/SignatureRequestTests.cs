using System;
using System.Linq;
using System.Text.Json;
using HelloSign.Core.Tests.TestSupport;
using Xunit;

namespace HelloSign.Core.Tests.Models;

public class SignatureRequestTests
{
    [Fact]
    public void The_spec_get_example_reads_into_typed_properties()
    {
        using var document = JsonDocument.Parse(SpecExample.Read("SignatureRequestGetResponse"));

        var request = SignatureRequest.FromJson(document.RootElement.GetProperty("signature_request"));

        Assert.Equal("fa5c8a0b0f492d768749333ad6fcc214c111e967", request.SignatureRequestId);
        Assert.Equal("Purchase Agreement", request.Title);
        Assert.Equal(new DateTimeOffset(2019, 10, 7, 17, 57, 47, TimeSpan.Zero), request.CreatedAt);
        Assert.Equal(TimeSpan.Zero, request.CreatedAt!.Value.Offset);
        Assert.True(request.IsComplete);
        Assert.Equal("Complete", request.Status);
        var signature = Assert.Single(request.Signatures);
        Assert.Equal("signed", signature.StatusCode);
        Assert.Equal("john@example.com", signature.SignerEmailAddress);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1346521550), signature.SignedAt);
    }

    [Fact]
    public void The_spec_list_example_has_incomplete_requests()
    {
        using var document = JsonDocument.Parse(SpecExample.Read("SignatureRequestListResponse"));

        var requests = document.RootElement.GetProperty("signature_requests").EnumerateArray().Select(SignatureRequest.FromJson).ToList();

        Assert.Equal(2, requests.Count);
        Assert.True(requests[0].IsIncomplete);
        Assert.Equal("awaiting_signature", requests[0].Signatures[0].StatusCode);
        Assert.Equal("https://app.hellosign.com/home/manage?guid=d10338cad145e1cb68afc828", requests[0].DetailsUrl);
    }

    [Fact]
    public void Unknown_fields_new_enum_values_and_wrong_types_do_not_break_reading()
    {
        const string json = """
            {"signature_request_id":"abc","title":5,"created_at":"1570471067","is_complete":"yes","brand_new_field":{"x":[1,2]},
             "metadata":{"ticket":"T-1","nested":{"n":2}},"signatures":[{"status_code":"on_hold_forever","order":"first"}, 7]}
            """;
        using var document = JsonDocument.Parse(json);

        var request = SignatureRequest.FromJson(document.RootElement);

        Assert.Null(request.Title);
        Assert.Equal(new DateTimeOffset(2019, 10, 7, 17, 57, 47, TimeSpan.Zero), request.CreatedAt);
        Assert.False(request.IsComplete);
        Assert.Equal("T-1", request.Metadata["ticket"]);
        var signature = Assert.Single(request.Signatures);
        Assert.Equal("on_hold_forever", signature.StatusCode);
        Assert.Null(signature.Order);
    }
}
