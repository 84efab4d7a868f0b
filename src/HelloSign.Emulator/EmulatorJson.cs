using System.Text.Json;
using System.Text.Json.Serialization;

namespace HelloSign.Emulator;

/// <summary>The one JSON convention of the emulator: snake_case like the real API, strict on input.</summary>
internal static class EmulatorJson
{
    public static JsonSerializerOptions Options { get; } = Apply(new JsonSerializerOptions());

    /// <summary>Applies the convention to an options instance (also used for ASP.NET Core's own options).</summary>
    public static JsonSerializerOptions Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        // A misspelt option or seed field must fail loudly instead of silently meaning "default".
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.RespectNullableAnnotations = true;
        options.ReadCommentHandling = JsonCommentHandling.Skip;
        options.AllowTrailingCommas = true;
        return options;
    }
}
