using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace HelloSign.Core.Models;

/// <summary>
/// Forgiving reads from API JSON: a missing field, a null, or a value of an unexpected type gives null
/// instead of an exception, so fields and values the API adds or changes later don't break reading.
/// </summary>
internal static class JsonReading
{
    /// <summary>Whether <paramref name="text"/> is JSON at all, for callers outside Core (which keep System.Text.Json out of the cmdlets).</summary>
    public static bool IsJson(string text) => TryRead(text, _ => true, out _);

    /// <summary>
    /// Parses <paramref name="json"/> and reads it with <paramref name="read"/>, never throwing: malformed JSON,
    /// too deep a nesting, and text System.Text.Json refuses to decode (a lone surrogate, as an escape or raw)
    /// all give false. Every reader of text from outside (responses, callbacks, journals) goes through here.
    /// </summary>
    public static bool TryRead<T>(string json, Func<JsonElement, T> read, out T result, int maxDepth = 64)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = maxDepth, AllowTrailingCommas = true });
            result = read(document.RootElement);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            result = default!;
            return false;
        }
    }

    public static string? String(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static bool? Boolean(JsonElement element, string name) =>
        Property(element, name) is { } value && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    public static int? Int32(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var n) ? n : null;

    /// <summary>A Unix time in seconds, as a number or a numeric string, to a time at offset +00:00.</summary>
    public static DateTimeOffset? UnixTime(JsonElement element, string name)
    {
        long seconds;
        switch (Property(element, name))
        {
            case { ValueKind: JsonValueKind.Number } number when number.TryGetInt64(out seconds):
            case { ValueKind: JsonValueKind.String } text when long.TryParse(text.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out seconds):
                return FromUnixSeconds(seconds);
            default:
                return null;
        }
    }

    // DateTimeOffset, not DateTime: Export-Csv writes a value with its ToString(), and only DateTimeOffset's
    // carries the zone ("+00:00"); a UTC DateTime would be written as a bare local-looking time.
    public static DateTimeOffset? FromUnixSeconds(long seconds) =>
        seconds is >= 0 and <= 253402300799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    public static string[] Strings(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!).ToArray()
            : Array.Empty<string>();

    public static IEnumerable<JsonElement> Objects(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.Object)
            : Enumerable.Empty<JsonElement>();

    public static JsonElement? Object(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Object } value ? value : null;

    /// <summary>Free-form JSON (metadata) as plain .NET values: dictionaries, lists, strings, numbers, booleans.</summary>
    public static object? ToPlainValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Aggregate(
            new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase),
            (map, property) => { map[property.Name] = ToPlainValue(property.Value); return map; }),
        JsonValueKind.Array => element.EnumerateArray().Select(ToPlainValue).ToArray(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? (object)whole : Real(element),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>
    /// A number as a double; beyond its range, infinity. .NET gives that itself, but on .NET Framework
    /// (Windows PowerShell 5.1) System.Text.Json fails to read such a number and GetDouble would throw.
    /// </summary>
    private static double Real(JsonElement number) =>
        number.TryGetDouble(out var real) ? real
        : number.GetRawText().StartsWith("-", StringComparison.Ordinal) ? double.NegativeInfinity : double.PositiveInfinity;

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : null;
}
