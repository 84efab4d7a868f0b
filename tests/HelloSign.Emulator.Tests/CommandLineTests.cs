using System.Diagnostics;
using System.Security.Authentication;

namespace HelloSign.Emulator.Tests;

/// <summary>The contract with tools/HelloSignEmulator.psm1: READY lines on stdout, exit when stdin closes.</summary>
public sealed class CommandLineTests
{
    private static readonly string EmulatorDll = Path.Combine(AppContext.BaseDirectory, "HelloSign.Emulator.dll");
    private static readonly string SeedPath = Path.Combine(AppContext.BaseDirectory, "seed.json");

    [Fact]
    public async Task Prints_the_ready_lines_serves_https_with_an_untrusted_certificate_and_exits_when_stdin_closes()
    {
        using var process = StartEmulator("--seed", SeedPath, "--port", "0", "--https-port", "0");

        var httpsLine = await process.StandardOutput.ReadLineAsync();
        var readyLine = await process.StandardOutput.ReadLineAsync();

        Assert.Matches(@"^HELLOSIGN_EMULATOR_HTTPS https://127\.0\.0\.1:\d+$", httpsLine);
        Assert.Matches(@"^HELLOSIGN_EMULATOR_READY http://127\.0\.0\.1:\d+$", readyLine);
        var httpsBase = httpsLine!.Split(' ')[1];
        using var trusting = new HttpClient();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => trusting.GetAsync($"{httpsBase}/v3/account"));
        Assert.IsType<AuthenticationException>(refused.InnerException);
        using var insecure = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });
        Assert.Equal(401, (int)(await insecure.GetAsync($"{httpsBase}/v3/account")).StatusCode);

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, process.ExitCode);
        Assert.Equal("", await process.StandardOutput.ReadToEndAsync());
    }

    [Theory]
    [InlineData("--port", "0")]
    [InlineData("--seed", "missing-seed.json")]
    [InlineData("--seed", "seed.json", "--port", "not-a-port")]
    [InlineData("--seed", "seed.json", "--verbose", "1")]
    public async Task Bad_arguments_exit_with_code_2_and_say_why_on_stderr(params string[] arguments)
    {
        using var process = StartEmulator(arguments);

        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("usage:", stderr);
        Assert.Equal("", await process.StandardOutput.ReadToEndAsync());
    }

    private static Process StartEmulator(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(EmulatorDll);
        arguments.ToList().ForEach(start.ArgumentList.Add);
        return Process.Start(start)!;
    }
}
