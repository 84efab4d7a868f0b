namespace HelloSign.Emulator;

/// <summary>The life-cycle states a seeded signature request can be in, and what each allows.</summary>
internal static class RequestStates
{
    public const string AwaitingSignature = "awaiting_signature";
    public const string PartiallySigned = "partially_signed";
    public const string Complete = "complete";
    public const string Declined = "declined";
    public const string Error = "error";
    public const string Canceled = "canceled";

    private static readonly HashSet<string> Known =
        [AwaitingSignature, PartiallySigned, Complete, Declined, Error, Canceled];

    public static bool IsKnown(string state) => Known.Contains(state);

    /// <summary>Only requests still out for signature can be canceled (the API allows partially signed ones).</summary>
    public static bool IsCancelable(string state) => state is AwaitingSignature or PartiallySigned;

    /// <summary>Remove applies to fully executed requests: all signed, or declined.</summary>
    public static bool IsRemovable(string state) => state is Complete or Declined;
}
