using System;
using System.Text.Json;
using HelloSign.Core.Models;

namespace HelloSign.Core.Events;

/// <summary>
/// Reads a callback body as handlers receive it: the JSON text itself, the value of the form field "json",
/// a whole multipart/form-data body, or an urlencoded form. Never throws: bad input gives a reason.
/// </summary>
public static class CallbackEventReader
{
    /// <summary>Callback bodies are a few KB; anything this large is refused unread.</summary>
    public const int MaximumLength = 1024 * 1024;

    public static (CallbackEvent? Event, string? Error) Read(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, "The callback body is empty.");
        }

        if (body!.Length > MaximumLength)
        {
            return (null, $"The callback body is {body.Length} characters long; callback events are far smaller.");
        }

        var json = ExtractJson(body.Trim());
        if (json is null)
        {
            return (null, "The callback body holds neither JSON nor a form field named 'json'.");
        }

        return JsonReading.TryRead(json, root => FromDocument(root, json), out var read)
            ? read
            : (null, "The callback's JSON could not be read: it is malformed, too deeply nested, or holds text that is not valid Unicode.");
    }

    private static (CallbackEvent?, string?) FromDocument(JsonElement root, string json)
    {
        if (JsonReading.Object(root, "event") is not { } header)
        {
            return (null, "The callback JSON has no 'event' object.");
        }

        var type = JsonReading.String(header, "event_type");
        var time = JsonReading.String(header, "event_time") ?? (header.TryGetProperty("event_time", out var number) && number.ValueKind == JsonValueKind.Number ? number.GetRawText() : null);
        if (string.IsNullOrEmpty(type) || string.IsNullOrEmpty(time))
        {
            return (null, "The callback event lacks event_type or event_time.");
        }

        var metadata = JsonReading.Object(header, "event_metadata");
        var request = JsonReading.Object(root, "signature_request") is { } requestJson ? SignatureRequest.FromJson(requestJson) : null;
        return (new CallbackEvent
        {
            EventType = type!,
            EventTimeText = time!,
            EventTime = long.TryParse(time, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? JsonReading.FromUnixSeconds(seconds) : null,
            EventHash = JsonReading.String(header, "event_hash"),
            AccountId = metadata is { } m1 ? JsonReading.String(m1, "reported_for_account_id") : null,
            AppId = metadata is { } m2 ? JsonReading.String(m2, "reported_for_app_id") : null,
            RelatedSignatureId = metadata is { } m3 ? JsonReading.String(m3, "related_signature_id") : null,
            EventMessage = metadata is { } m4 ? JsonReading.String(m4, "event_message") : null,
            SignatureRequest = request,
            SignatureRequestId = string.IsNullOrEmpty(request?.SignatureRequestId) ? null : request!.SignatureRequestId,
            Json = json,
        }, null);
    }

    private static string? ExtractJson(string body)
    {
        if (body.StartsWith("{", StringComparison.Ordinal))
        {
            return body;
        }

        if (body.StartsWith("--", StringComparison.Ordinal))
        {
            return FromMultipart(body);
        }

        foreach (var pair in body.Split('&'))
        {
            if (pair.StartsWith("json=", StringComparison.Ordinal))
            {
                return Uri.UnescapeDataString(pair.Substring(5).Replace('+', ' '));
            }
        }

        return null;
    }

    /// <summary>Finds the part named "json" in a multipart/form-data body; the boundary is its first line.</summary>
    private static string? FromMultipart(string body)
    {
        var firstLineEnd = body.IndexOf('\n');
        if (firstLineEnd < 0)
        {
            return null;
        }

        var boundary = body.Substring(0, firstLineEnd).TrimEnd('\r');
        foreach (var part in body.Split(new[] { boundary }, StringSplitOptions.RemoveEmptyEntries))
        {
            var headerEnd = part.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var separatorLength = 4;
            if (headerEnd < 0)
            {
                headerEnd = part.IndexOf("\n\n", StringComparison.Ordinal);
                separatorLength = 2;
            }

            if (headerEnd < 0)
            {
                continue;
            }

            var headers = part.Substring(0, headerEnd);
            if (headers.IndexOf("name=\"json\"", StringComparison.OrdinalIgnoreCase) >= 0 || headers.IndexOf("name=json", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return part.Substring(headerEnd + separatorLength).TrimEnd('\r', '\n');
            }
        }

        return null;
    }
}
