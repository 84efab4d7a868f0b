namespace HelloSign.Emulator;

/// <summary>
/// Everything the running emulator knows, shared by the API and admin endpoints:
/// accounts, signature requests, the current config and the machinery it drives.
/// </summary>
internal sealed class EmulatorRuntime
{
    private readonly Lock _configGate = new();
    private volatile EmulatorConfig _config;

    public EmulatorRuntime(SeedData seed, EmulatorConfig startupConfig)
    {
        StartupConfig = startupConfig;
        Accounts = new AccountDirectory(seed.Accounts);
        State = new EmulatorState(seed);
        _config = startupConfig;
        ApplyConfig(startupConfig);
    }

    /// <summary>What --config said; reset returns to it.</summary>
    public EmulatorConfig StartupConfig { get; }

    public EmulatorConfig Config => _config;

    public AccountDirectory Accounts { get; }

    public EmulatorState State { get; }

    public RequestLog Log { get; } = new();

    public RateLimiter RateLimiter { get; } = new();

    public FaultInjector Faults { get; } = new();

    public CallbackSender Callbacks { get; } = new();

    public ReminderBook Reminders { get; } = new();

    /// <summary>Replaces the whole config; rate-limit windows and the fault dice start afresh.</summary>
    public void ApplyConfig(EmulatorConfig config)
    {
        lock (_configGate)
        {
            _config = config;
            Faults.Configure(config.Faults, config.Seed);
            RateLimiter.Clear();
        }
    }

    /// <summary>Back to the seed and the start-up config: credentials valid again, empty log, no callback or reminder history.</summary>
    public void Reset()
    {
        State.Reset();
        Accounts.ClearRevocations();
        Log.Clear();
        Callbacks.Clear();
        Reminders.Clear();
        ApplyConfig(StartupConfig);
    }
}
