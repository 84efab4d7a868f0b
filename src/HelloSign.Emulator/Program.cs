using HelloSign.Emulator;

// Start-up: read the command line, seed and config; on a mistake say what is wrong and exit 2.
CommandLineOptions options;
SeedData seed;
EmulatorConfig config;
try
{
    options = CommandLineOptions.Parse(args);
    seed = SeedData.Load(options.SeedPath);
    config = options.ConfigPath is null ? new EmulatorConfig() : EmulatorConfig.Load(options.ConfigPath);
}
catch (Exception ex) when (ex is ArgumentException or InvalidDataException or IOException)
{
    Console.Error.WriteLine($"HelloSign.Emulator: {ex.Message}");
    Console.Error.WriteLine(CommandLineOptions.Usage);
    return 2;
}

EmulatorServer server;
try
{
    server = await EmulatorServer.StartAsync(seed, config, options.Port, options.HttpsPort);
}
catch (IOException ex)
{
    // Typically the requested port is taken.
    Console.Error.WriteLine($"HelloSign.Emulator: cannot listen: {ex.Message}");
    return 1;
}

await using (server)
{
    // The parent waits for the READY line, so it comes last: by then every address is known.
    if (server.HttpsAddress is { } httpsAddress)
    {
        Console.WriteLine($"HELLOSIGN_EMULATOR_HTTPS {httpsAddress}");
    }

    Console.WriteLine($"HELLOSIGN_EMULATOR_READY {server.HttpAddress}");

    var stopRequested = new TaskCompletionSource();
    server.Lifetime.ApplicationStopping.Register(() => stopRequested.TrySetResult());
    ShutdownWatchers.StopWhenStandardInputCloses(server.Lifetime);
    if (options.ParentProcessId is int parentProcessId)
    {
        ShutdownWatchers.StopWhenProcessExits(parentProcessId, server.Lifetime);
    }

    // Ctrl+C and SIGTERM also land here, through the host's console lifetime.
    await stopRequested.Task;
}

return 0;
