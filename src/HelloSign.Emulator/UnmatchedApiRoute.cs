using Microsoft.AspNetCore.Routing.Template;

namespace HelloSign.Emulator;

/// <summary>
/// Answers a /v3 request no endpoint took: 405 method_not_supported when another method is mapped at that
/// path, otherwise a 404 that says the endpoint is unknown. It reads the live route table, so endpoints
/// mapped anywhere under /v3 get the 405 without registering for it.
/// </summary>
internal static class UnmatchedApiRoute
{
    public static IResult Answer(HttpContext context, EndpointDataSource endpoints)
    {
        var allowed = AllowedMethods(endpoints, context.Request.Path);
        if (allowed.Count == 0)
        {
            return ApiErrors.UnknownEndpoint;
        }

        context.Response.Headers.Allow = string.Join(", ", allowed);
        return ApiErrors.MethodNotSupported(context.Request.Method);
    }

    private static SortedSet<string> AllowedMethods(EndpointDataSource endpoints, PathString path)
    {
        var allowed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            // Endpoints without a method list are fallbacks (this one included): they say nothing about the path.
            if (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { HttpMethods.Count: > 0 } methods
                || endpoint.RoutePattern.RawText?.StartsWith("/v3/", StringComparison.Ordinal) != true)
            {
                continue;
            }

            var matcher = new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), []);
            if (matcher.TryMatch(path, []))
            {
                allowed.UnionWith(methods.HttpMethods);
            }
        }

        return allowed;
    }
}
