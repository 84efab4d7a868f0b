using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace HelloSign.Emulator;

/// <summary>
/// Hosts the emulator on Kestrel, loopback only. Used by Program and, in-process, by the tests.
/// Port 0 means "any free port"; the chosen addresses are known once <see cref="StartAsync"/> returns.
/// </summary>
internal sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorServer(WebApplication app)
    {
        _app = app;
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        HttpAddress = addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal));
        HttpsAddress = addresses.SingleOrDefault(a => a.StartsWith("https://", StringComparison.Ordinal));
    }

    /// <summary>For example http://127.0.0.1:50123 (no trailing slash); the API lives under /v3.</summary>
    public string HttpAddress { get; }

    /// <summary>Set when started with an HTTPS port; served with a throw-away self-signed certificate.</summary>
    public string? HttpsAddress { get; }

    public IHostApplicationLifetime Lifetime => _app.Lifetime;

    public static async Task<EmulatorServer> StartAsync(SeedData seed, EmulatorConfig config, int port = 0, int? httpsPort = null)
    {
        var runtime = new EmulatorRuntime(seed, config);
        // Content root next to the binary: an appsettings.json in the caller's working directory must not add listeners.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });

        // Warnings only, and on stderr: stdout carries just the READY line(s) a parent process waits for.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // Hanging requests (faults) must not hold up shutdown.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.ConfigureHttpJsonOptions(json => EmulatorJson.Apply(json.SerializerOptions));
        builder.Services.AddSingleton(runtime);
        builder.Services.AddHostedService(_ => runtime.Callbacks);

        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port);
            if (httpsPort is int securePort)
            {
                kestrel.Listen(IPAddress.Loopback, securePort, listen => listen.UseHttps(SelfSignedCertificate.Create()));
            }
        });

        var app = builder.Build();
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/v3"), api => api.UseMiddleware<ApiPipeline>());
        app.MapApiEndpoints();
        app.MapExtraEndpoints();
        app.MapAdminEndpoints();
        app.MapOAuthEndpoints();
        await app.StartAsync();
        return new EmulatorServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
