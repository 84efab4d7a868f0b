using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using NJsonSchema;
using NSwag;

namespace HelloSign.Emulator.Contract.Tests;

/// <summary>
/// The official OpenAPI document (Spec/openapi.yaml, from hellosign-openapi) and the checks an emulator answer must pass
/// against it: a status the operation declares, a declared media type, the declared headers, and a body valid
/// under the response schema. Validation is NJsonSchema's, in OpenAPI 3 mode (so nullable is understood).
/// Closed world: object schemas that list properties get no extra ones, so a field the spec does not name fails.
/// </summary>
internal sealed class OpenApiContract
{
    /// <summary>The spec, copied beside the tests (Spec/SOURCE.md) so that any clone tests on its own.</summary>
    private static readonly string SpecPath = Path.Combine(AppContext.BaseDirectory, "Spec", "openapi.yaml");
    private const string ApiPrefix = "/v3";

    private static readonly Lazy<Task<OpenApiContract>> Shared = new(LoadAsync);

    private readonly OpenApiDocument _document;
    private readonly List<(Regex Pattern, int Parameters, OpenApiPathItem Item)> _paths;

    private OpenApiContract(OpenApiDocument document)
    {
        _document = document;
        _paths = document.Paths
            .Select(p => (new Regex("^" + Regex.Replace(Regex.Escape(p.Key), @"\\\{[^}]+}", "[^/]+") + "$"), p.Key.Count(c => c == '{'), p.Value))
            .ToList();
    }

    public static Task<OpenApiContract> GetAsync() => Shared.Value;

    /// <summary>The spec's error body schema, for answers no operation declares (5xx, 405).</summary>
    public JsonSchema ErrorResponse => _document.Components.Schemas["ErrorResponse"];

    /// <summary>Everything wrong with a document that should be an instance of the named component schema.</summary>
    public List<string> CheckComponent(string schemaName, string json) => [.. ValidateJson(_document.Components.Schemas[schemaName], json)];

    /// <summary>Everything wrong with one answer; empty when it conforms.</summary>
    public List<string> Check(HttpMethod method, string requestPath, HttpResponseMessage response, string body)
    {
        var problems = new List<string>();
        var status = (int)response.StatusCode;
        var operation = FindOperation(method, requestPath);
        if (operation is null)
        {
            // The emulator's answer to a method or path the spec lacks must still be the spec's error shape.
            problems.AddRange(ValidateJson(ErrorResponse, body));
            return problems;
        }

        if (FindResponse(operation, status) is not { } declared)
        {
            if (status >= 500)
            {
                // The spec declares no 5xx; a JSON 5xx is checked against the error schema all its errors share.
                problems.AddRange(ValidateJson(ErrorResponse, body));
            }
            else
            {
                problems.Add($"status {status} is not declared for {method} {requestPath}");
            }

            return problems;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is null || !declared.Content.TryGetValue(mediaType, out var content))
        {
            problems.Add($"content type '{mediaType}' is not declared (declared: {string.Join(", ", declared.Content.Keys)})");
            return problems;
        }

        foreach (var (name, header) in declared.Headers)
        {
            problems.AddRange(CheckHeader(response, name, header));
        }

        if (content.Schema is { } schema)
        {
            problems.AddRange(ValidateJson(schema.ActualSchema, body));
        }
        else if (body.Length > 0)
        {
            // Content without a schema ("application/json: {}") still promises JSON, if there is a body at all.
            problems.AddRange(ValidateJson(new JsonSchema(), body));
        }

        return problems;
    }

    private OpenApiOperation? FindOperation(HttpMethod method, string requestPath)
    {
        var path = requestPath.Split('?')[0];
        if (!path.StartsWith(ApiPrefix + "/", StringComparison.Ordinal))
        {
            return null;
        }

        path = path[ApiPrefix.Length..];
        // A literal path (/signature_request/list) wins over a template it also fits (/signature_request/{id}).
        return _paths
            .Where(p => p.Pattern.IsMatch(path))
            .OrderBy(p => p.Parameters)
            .Select(p => p.Item.TryGetValue(method.Method.ToLowerInvariant(), out var operation) ? operation : null)
            .FirstOrDefault(operation => operation is not null);
    }

    /// <summary>The exact status, else its range (4XX), else default, as OpenAPI 3 resolves them.</summary>
    private static OpenApiResponse? FindResponse(OpenApiOperation operation, int status)
    {
        foreach (var key in new[] { status.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{status / 100}XX", "default" })
        {
            if (operation.ActualResponses.TryGetValue(key, out var response))
            {
                return response.ActualResponse;
            }
        }

        return null;
    }

    private static IEnumerable<string> CheckHeader(HttpResponseMessage response, string name, OpenApiHeader header)
    {
        if (!response.Headers.TryGetValues(name, out var values))
        {
            yield return $"header {name} is missing";
            yield break;
        }

        // A header value is text: as JSON it is a number or boolean as it stands, and a string once quoted.
        var schema = header.ActualSchema;
        var quote = schema.Type.HasFlag(JsonObjectType.String);
        foreach (var value in values)
        {
            foreach (var problem in ValidateJson(schema, quote ? System.Text.Json.JsonSerializer.Serialize(value) : value))
            {
                yield return $"header {name}: {problem}";
            }
        }
    }

    private static IEnumerable<string> ValidateJson(JsonSchema schema, string json)
    {
        ICollection<NJsonSchema.Validation.ValidationError> errors;
        try
        {
            errors = schema.Validate(json, SchemaType.OpenApi3);
        }
        catch (Newtonsoft.Json.JsonReaderException ex)
        {
            return [$"not JSON: {ex.Message}"];
        }

        return errors.Select(e => e.ToString());
    }

    private static async Task<OpenApiContract> LoadAsync()
    {
        var path = SpecPath;
        var document = await OpenApiYamlDocument.FromYamlAsync(WithoutDocumentationBlocks(await File.ReadAllTextAsync(path)), path);
        foreach (var schema in document.Components.Schemas.Values)
        {
            CloseWorld(schema, []);
        }

        return new OpenApiContract(document);
    }

    /// <summary>
    /// Drops two documentation-only blocks NSwag cannot read, each of which would make it refuse the whole
    /// document: x-enumDescriptions (a map where NJsonSchema expects a list) and the top-level tags (their
    /// descriptions are $refs to markdown files). Neither says anything about what a response may contain.
    /// </summary>
    private static string WithoutDocumentationBlocks(string yaml)
    {
        var kept = new List<string>();
        int? droppingDeeperThan = null;
        foreach (var line in yaml.Split('\n'))
        {
            var indent = line.Length - line.TrimStart(' ').Length;
            if (droppingDeeperThan is int depth && (indent > depth || line.Trim().Length == 0))
            {
                continue;
            }

            var isDocumentation = line.TrimStart().StartsWith("x-enumDescriptions:", StringComparison.Ordinal) || line == "tags:";
            droppingDeeperThan = isDocumentation ? indent : null;
            if (droppingDeeperThan is null)
            {
                kept.Add(line);
            }
        }

        return string.Join('\n', kept);
    }

    private static void CloseWorld(JsonSchema schema, HashSet<JsonSchema> seen)
    {
        if (!seen.Add(schema))
        {
            return;
        }

        if (schema.Properties.Count > 0 && schema.AdditionalPropertiesSchema is null && schema.AllOf.Count == 0 && schema.OneOf.Count == 0 && schema.AnyOf.Count == 0)
        {
            schema.AllowAdditionalProperties = false;
        }

        var children = schema.Properties.Values.Cast<JsonSchema>()
            .Concat(schema.AllOf).Concat(schema.OneOf).Concat(schema.AnyOf)
            .Append(schema.Item).Append(schema.AdditionalPropertiesSchema).Append(schema.Reference);
        foreach (var child in children.OfType<JsonSchema>())
        {
            CloseWorld(child, seen);
        }
    }
}
