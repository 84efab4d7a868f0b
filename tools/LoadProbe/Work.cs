using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using HelloSign.Core;
using HelloSign.Core.Auth;
using HelloSign.Core.Events;
using HelloSign.Core.Http;
using HelloSign.Core.Journal;
using HelloSign.Core.Retry;

namespace HelloSign.LoadProbe;

/// <summary>What a command does, each step reaching a different part of the System.Text.Json family.</summary>
internal static class Work
{
    private const string SignatureRequestId = "fa5c8a0b0f492d768749333ad6fcc214c111e967";

    // A callback event with a number beyond double's range in its metadata, which .NET Framework reads differently.
    private const string Event = """
        {"event":{"event_time":"1669926463","event_type":"signature_request_canceled","event_hash":"x",
         "event_metadata":{"reported_for_account_id":"6421d70b9bd45059fa207d03ab8d1b96515b472c"}},
         "signature_request":{"signature_request_id":"fa5c8a0b0f492d768749333ad6fcc214c111e967","title":"Probe","metadata":{"n":1e400},"signatures":[]}}
        """;

    // Not inlined: HelloSign.Core binds when this method is compiled, after the module's initializer has run.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Run(Uri apiBaseUri, string apiKey)
    {
        var (callback, error) = CallbackEventReader.Read(Event);
        Check(callback?.SignatureRequestId == SignatureRequestId, $"reading a callback event gave '{error}'");
        Console.WriteLine($"probe: read a callback event ({callback!.EventType})");

        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "hellosign-probe-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var path = Path.Combine(folder, "journal.jsonl");
            using (var journal = OutcomeJournal.Open(path, "probe", "Cancel", readOnly: false))
            {
                journal.Append(SignatureRequestId, JournalOutcome.Queued, null);
            }

            using (var journal = OutcomeJournal.Open(path, "probe", "Cancel", readOnly: true))
            {
                Check(journal.Find(SignatureRequestId)?.Outcome == JournalOutcome.Queued, "the journal line written was not read back");
            }

            Console.WriteLine("probe: wrote a journal line and read it back");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var credential = new ApiCredential(AuthenticationMethod.ApiKey, ApiCredential.ToSecureString(apiKey));
        using var api = new HelloSignApi(new HelloSignHttpClient(apiBaseUri, credential, "HelloSign-LoadProbe/1.0"));
        var account = api.GetAccountAsync(new ApiCallOptions { MaximumRetries = 0 }, null, CancellationToken.None).GetAwaiter().GetResult();
        Check(account.Succeeded, $"GET account failed: {account.Failure?.Message}");
        Console.WriteLine($"probe: GET account over HTTP answered account {account.Value!.AccountId}");
    }

    private static void Check(bool condition, string failure)
    {
        if (!condition)
        {
            throw new InvalidOperationException(failure);
        }
    }
}
