using System;
using System.IO;
using System.Linq;
using System.Threading;
using HelloSign.Core.Errors;
using HelloSign.Core.Events;
using HelloSign.Core.Http;
using HelloSign.Core.Ids;
using HelloSign.Core.RateLimiting;

namespace HelloSign.Core.Tests.Properties;

/// <summary>A parser answered in a way its documentation rules out (as opposed to throwing by itself).</summary>
public sealed class OutcomeViolation : Exception
{
    public OutcomeViolation(string message) : base(message) { }
}

/// <summary>
/// The documented outcome of each parser for any input, checked in one place. The property tests, the fuzz
/// targets (fuzz/HelloSign.Fuzz links this file) and the fuzz regression tests all go through here, so the three
/// agree on what counts as a bug: an exception out of a parser, or an <see cref="OutcomeViolation"/>.
/// Uses only the public API, so the fuzz project can compile it without InternalsVisibleTo.
/// </summary>
public static class Outcomes
{
    /// <summary>The key the fuzz targets and regression tests verify event hashes with (the API reference's example key).</summary>
    public static readonly byte[] EventKey = System.Text.Encoding.UTF8.GetBytes("324e3b0840f065eb51f3fd63231d0d33daa35d4ed10d27718839e81737065782");

    private static readonly char[] BlankChars = { '\uFEFF', '\u200B', '\0', '"', '\'' };

    /// <summary>
    /// Valid: lowercase hex of an allowed length that parses again to itself. Invalid: a reason, safe to print on
    /// one line. Blank: only for input that is nothing but white space, BOMs, NULs and quotes.
    /// </summary>
    public static IdParseResult Id(string? input)
    {
        var result = SignatureRequestIdParser.Parse(input);
        switch (result.Status)
        {
            case IdParseStatus.Valid:
                var id = result.Id;
                Require(id is { Length: >= SignatureRequestIdParser.MinimumLength and <= SignatureRequestIdParser.MaximumLength } && id.All(IsLowerHex),
                    $"a valid id must be {SignatureRequestIdParser.MinimumLength}-{SignatureRequestIdParser.MaximumLength} lowercase hex digits, got {Show(id)}");
                Require(result.Reason is null, "a valid id carries no reason");
                var again = SignatureRequestIdParser.Parse(id);
                Require(again.Status == IdParseStatus.Valid && again.Id == id, $"normalizing {Show(id)} again gave {again.Status} {Show(again.Id)}");
                break;
            case IdParseStatus.Invalid:
                Require(result.Id is null, "an invalid input produced an id");
                Require(!string.IsNullOrWhiteSpace(result.Reason), "an invalid input has no reason");
                RequireOneLine(result.Reason!, "the reason");
                break;
            case IdParseStatus.Blank:
                Require(result.Id is null && result.Reason is null, "a blank input produced an id or a reason");
                Require(input is null || input.All(c => char.IsWhiteSpace(c) || BlankChars.Contains(c)), "a non-blank input was called blank");
                break;
            default:
                throw new OutcomeViolation($"unknown status {result.Status}");
        }

        return result;
    }

    /// <summary>
    /// Reads <paramref name="body"/> as the client reads an error response (at most
    /// <see cref="BoundedBodyReader.MaximumErrorBodyBytes"/>) and maps it: the failure always carries the status,
    /// a kind that follows from it, and a bounded message without control characters.
    /// </summary>
    public static ApiFailure ErrorBody(int status, ArraySegment<byte> body)
    {
        const int Bound = BoundedBodyReader.MaximumErrorBodyBytes;
        using var stream = new MemoryStream(body.Array!, body.Offset, body.Count, writable: false);
        var (text, truncated) = BoundedBodyReader.ReadAsync(stream, Bound, CancellationToken.None).GetAwaiter().GetResult();
        Require(stream.Position <= Bound + 1, $"read {stream.Position:#,0} bytes of a {body.Count:#,0}-byte body; the bound is {Bound:#,0}");
        Require(truncated == body.Count > Bound, $"truncated is {truncated} for a {body.Count:#,0}-byte body");
        Require(text.Length <= Bound, $"the text read is {text.Length:#,0} characters long");

        var response = new ApiResponse(status, text, truncated, "application/json", RateLimitInfo.None, null, TimeSpan.Zero);
        var failure = ApiErrorMapper.FromResponse(response);
        Require(failure.StatusCode == status, $"the failure carries status {failure.StatusCode}, not {status}");
        Require(failure.ToString().StartsWith("HTTP " + status, StringComparison.Ordinal), $"the error does not start with its status: {Show(failure.ToString())}");
        Require(Enum.IsDefined(typeof(ApiFailureKind), failure.Kind), $"undefined kind {failure.Kind}");
        var expected = ApiErrorMapper.Classify(status, failure.ErrorName);
        Require(failure.Kind == expected || (failure.Kind == ApiFailureKind.InvalidResponse && KindOfNonApiAnswer(status) is null),
            $"HTTP {status} with error_name {Show(failure.ErrorName)} gave {failure.Kind}, expected {expected}");
        Require(KindOfNonApiAnswer(status) is not { } fixedKind || failure.Kind == fixedKind, $"HTTP {status} gave {failure.Kind}");
        Require(failure.Message.Length <= 1000, $"the message is {failure.Message.Length:#,0} characters long");
        RequireOneLine(failure.Message, "the message");
        Require(failure.ErrorName is null || failure.ErrorName.Length <= 503, $"the error name is {failure.ErrorName?.Length:#,0} characters long");
        RequireOneLine(failure.ErrorName ?? string.Empty, "the error name");
        Require(failure.ErrorId.Length > 0 && failure.ErrorId.All(char.IsLetterOrDigit), $"the ErrorId is {Show(failure.ErrorId)}");
        return failure;
    }

    /// <summary>
    /// Reading never throws and gives an event or a reason, never both; an event's hash verifies exactly when it is
    /// the HMAC of its own time and type (ignoring case and surrounding space), and verifying never throws.
    /// </summary>
    public static CallbackEvent? Event(string? body, byte[] key)
    {
        var (read, error) = CallbackEventReader.Read(body);
        Require((read is null) != (error is null), $"Read gave {(read is null ? "neither an event nor" : "both an event and")} a reason");
        if (read is null)
        {
            Require(!string.IsNullOrWhiteSpace(error), "the reason is empty");
            return null;
        }

        Require(!string.IsNullOrEmpty(read.EventType) && !string.IsNullOrEmpty(read.EventTimeText), "an event without type or time was read");
        Require(read.IsVerified == false, "Read claims an event is verified");
        Hash(key, read.EventTimeText, read.EventType, read.EventHash);
        return read;
    }

    /// <summary><see cref="EventHash.Matches"/> is true exactly for the computed hash (any case, surrounding space).</summary>
    public static bool Hash(byte[] key, string eventTime, string eventType, string? given)
    {
        var expected = EventHash.Compute(key, eventTime, eventType);
        Require(expected.Length == 64 && expected.All(IsLowerHex), $"the computed hash is {Show(expected)}");
        Require(EventHash.Matches(key, eventTime, eventType, expected), "the computed hash does not match itself");
        Require(EventHash.Matches(key, eventTime, eventType, expected.ToUpperInvariant()), "the computed hash in upper case does not match");
        var matches = EventHash.Matches(key, eventTime, eventType, given);
        var same = given is not null && given.Trim().ToLowerInvariant() == expected;
        Require(matches == same, $"Matches is {matches} for {Show(given)}; the hash is {expected}");
        return matches;
    }

    /// <summary>Statuses whose kind holds whatever the body says (a proxy's page is still a 5xx).</summary>
    private static ApiFailureKind? KindOfNonApiAnswer(int status) => status switch
    {
        >= 300 and < 400 => ApiFailureKind.Redirect,
        401 => ApiFailureKind.Unauthorized,
        410 => ApiFailureKind.Gone,
        429 => ApiFailureKind.RateLimited,
        >= 500 and < 600 => ApiFailureKind.ServerError,
        _ => null,
    };

    private static bool IsLowerHex(char c) => c is >= '0' and <= '9' or >= 'a' and <= 'f';

    /// <summary>Text shown to users stays on one line: no control characters, no Unicode line or paragraph separators.</summary>
    private static void RequireOneLine(string text, string what)
    {
        Require(!text.Any(char.IsControl), $"{what} holds control characters: {Show(text)}");
        Require(!text.Any(c => c is '\u2028' or '\u2029'), $"{what} {LineSeparatorViolation}: {Show(text)}");
    }

    /// <summary>Part of the message of the <see cref="OutcomeViolation"/> for a U+2028 or U+2029 in shown text.</summary>
    public const string LineSeparatorViolation = "holds a Unicode line or paragraph separator (U+2028/U+2029)";

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new OutcomeViolation(message);
        }
    }

    private static string Show(string? text) => text is null ? "null" : "'" + (text.Length > 200 ? text.Substring(0, 200) + "..." : text) + "'";
}
