namespace HelloSign.Emulator;

/// <summary>Wall-clock time in the units the API speaks (Unix seconds) and the emulator records (Unix milliseconds).</summary>
internal static class UnixTime
{
    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static long NowSeconds() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
