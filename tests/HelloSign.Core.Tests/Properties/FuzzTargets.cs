using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using HelloSign.Core.Bulk;
using HelloSign.Core.Ids;

namespace HelloSign.Core.Tests.Properties;

/// <summary>
/// How a fuzz input (bytes) reaches each parser. fuzz/HelloSign.Fuzz runs these under AFL++ and the regression
/// tests replay saved inputs through them, so a saved crash is replayed exactly as it was found.
/// Each target throws only for a bug: an exception out of a parser, or an <see cref="OutcomeViolation"/>.
/// </summary>
public static class FuzzTargets
{
    public static readonly string[] Names = { "ids", "errors", "events" };

    public static void Run(string target, byte[] input)
    {
        switch (target)
        {
            case "ids": Ids(input); break;
            case "errors": Errors(input); break;
            case "events": Events(input); break;
            default: throw new ArgumentException($"Unknown fuzz target '{target}'; the targets are {string.Join(", ", Names)}.", nameof(target));
        }
    }

    /// <summary>The whole input as one value, then line by line as an ids file is read, through one admission.</summary>
    public static void Ids(byte[] input)
    {
        var text = Text(input);
        Outcomes.Id(text);
        var ledger = new RunLedger();
        var admission = new IdAdmission(ledger);
        var lines = text.Split('\n');
        foreach (var line in lines)
        {
            var expected = Outcomes.Id(line);
            var admitted = admission.Admit(line);
            if (expected.Status == IdParseStatus.Valid && admitted.Id != expected.Id)
            {
                throw new OutcomeViolation($"admission gave {admitted.Verdict} {admitted.Id} where the parser gave {expected.Id}");
            }
        }

        if (ledger.Received != lines.Length)
        {
            throw new OutcomeViolation($"the ledger counts {ledger.Received} values of {lines.Length}");
        }
    }

    /// <summary>An error response: an optional first line "NNN" is the status (else 500), the rest the body.</summary>
    public static void Errors(byte[] input)
    {
        var newline = Array.IndexOf(input, (byte)'\n');
        if (newline is >= 1 and <= 4 &&
            int.TryParse(Encoding.ASCII.GetString(input, 0, newline).TrimEnd('\r'), NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            Outcomes.ErrorBody(status, new ArraySegment<byte>(input, newline + 1, input.Length - newline - 1));
        }
        else
        {
            Outcomes.ErrorBody(500, new ArraySegment<byte>(input));
        }
    }

    /// <summary>A callback body as a handler might pass it on, verified with <see cref="Outcomes.EventKey"/>.</summary>
    public static void Events(byte[] input) => Outcomes.Event(Text(input), Outcomes.EventKey);

    /// <summary>
    /// UTF-8; or, after a UTF-16LE byte order mark, raw UTF-16 units, lone surrogates included: a string from
    /// PowerShell can hold anything, and UTF-8 decoding alone would never produce one.
    /// </summary>
    public static string Text(byte[] input) =>
        input.Length >= 2 && input[0] == 0xFF && input[1] == 0xFE
            ? new string(MemoryMarshal.Cast<byte, char>(input.AsSpan(2, (input.Length - 2) & ~1)).ToArray())
            : Encoding.UTF8.GetString(input);
}
