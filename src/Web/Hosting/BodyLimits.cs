using Microsoft.AspNetCore.Http.Features;

namespace ClinicChat.Web.Hosting;

/// <summary>
/// API request bodies are small JSON documents: anything over <see cref="JsonMaxBytes"/> is refused
/// with 413 <c>request_too_large</c> before it is read (declared lengths) or while it is read (chunked).
/// Endpoints that stream large bodies (uploads, FHIR imports) carry <see cref="OwnLimit"/> and set
/// their own limit from their own settings.
/// </summary>
public static class BodyLimits
{
    public const long JsonMaxBytes = 64 * 1024;

    /// <summary>Endpoint metadata: this endpoint enforces its own (larger) body limit.</summary>
    public static readonly object OwnLimit = new OwnBodyLimit();

    public static TBuilder WithOwnBodyLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(OwnLimit);

    public static WebApplication UseClinicChatBodyLimits(this WebApplication app)
    {
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/api") && context.GetEndpoint()?.Metadata.GetMetadata<OwnBodyLimit>() is null,
            branch => branch.Use(async (context, next) =>
            {
                if (context.Request.ContentLength > JsonMaxBytes)
                {
                    await ApiProblems.Problem(ApiErrors.RequestTooLarge, "Request too large.",
                        $"Request bodies are limited to {JsonMaxBytes / 1024} KB.").ExecuteAsync(context);
                    return;
                }

                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = JsonMaxBytes;
                }

                await next(context);
            }));
        return app;
    }

    private sealed class OwnBodyLimit;
}
