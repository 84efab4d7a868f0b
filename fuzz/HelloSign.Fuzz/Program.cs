using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using HelloSign.Core.Tests.Properties;
using SharpFuzz;

namespace HelloSign.Fuzz;

/// <summary>
/// HelloSign.Fuzz TARGET            run under afl-fuzz (tools/Fuzz.ps1 does it), or once on standard input
/// HelloSign.Fuzz TARGET FILE...    replay saved inputs: prints what each did; exit code 1 if any failed
/// TARGET is ids, errors or events (see FuzzTargets). An exception escaping a target is a crash to afl-fuzz:
/// the parsers are documented never to throw, so every one is a bug.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || !FuzzTargets.Names.Contains(args[0]))
        {
            Console.Error.WriteLine($"usage: HelloSign.Fuzz {string.Join("|", FuzzTargets.Names)} [FILE...]");
            return 2;
        }

        var target = args[0];
        if (args.Length > 1)
        {
            return Replay(target, args.Skip(1));
        }

        // Out of process: the fork server survives a stack overflow or a hang in the code under test.
        Fuzzer.OutOfProcess.Run(stream => FuzzTargets.Run(target, ReadAll(stream)));
        return 0;
    }

    /// <summary>
    /// One line per file: "ok", or "FAILED", the failure's signature (what failed where, the same for inputs that
    /// fail the same way), the file, and the message; tab-separated, for tools/Fuzz.ps1 to group by.
    /// </summary>
    private static int Replay(string target, IEnumerable<string> files)
    {
        var failed = 0;
        foreach (var file in files)
        {
            try
            {
                FuzzTargets.Run(target, File.ReadAllBytes(file));
                Console.WriteLine($"ok\t\t{file}");
            }
            catch (Exception e)
            {
                failed++;
                Console.WriteLine($"FAILED\t{Signature(e)}\t{file}\t{e.GetType().Name}: {e.Message.Split('\n')[0]}");
            }
        }

        return failed == 0 ? 0 : 1;
    }

    private static string Signature(Exception e)
    {
        if (e is OutcomeViolation)
        {
            // The message names the broken rule before the value that broke it.
            return "OutcomeViolation: " + e.Message.Split(':')[0];
        }

        // The method it escaped from: the first frame outside the runtime and this harness.
        var frame = e.StackTrace?.Split('\n').Select(line => line.Trim())
            .FirstOrDefault(line => !line.StartsWith("at System.", StringComparison.Ordinal) && !line.Contains("HelloSign.Core.Tests.") && !line.Contains("HelloSign.Fuzz."));
        return $"{e.GetType().Name} {frame?.Split(" in ")[0] ?? "at ?"}";
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
