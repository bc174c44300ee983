namespace ClinicChat.Web.Hosting;

/// <summary>
/// Response headers that keep the browser on a short leash: a strict Content-Security-Policy (the
/// app's own scripts and styles only: no inline script, no eval, no framing), no MIME sniffing, no
/// referrer, no powerful features. Responses that set their own policy (attachments: sandbox) keep it.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The Orleans Dashboard (Admins only) and the API reference (Development only) ship their own pages
    /// with inline script; they get the framing and sniffing protections but not the app's script policy.
    /// </summary>
    private static readonly PathString[] PagesWithTheirOwnScript = ["/ops/orleans", ApiReference.Path];

    public static IApplicationBuilder UseClinicChatSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.TryAdd("X-Content-Type-Options", "nosniff");
            headers.TryAdd("Referrer-Policy", "no-referrer");
            headers.TryAdd("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
            headers.TryAdd("Content-Security-Policy", Array.Exists(PagesWithTheirOwnScript, context.Request.Path.StartsWithSegments)
                ? "frame-ancestors 'none'; object-src 'none'; base-uri 'self'"
                : ContentSecurityPolicy);
            return Task.CompletedTask;
        });
        return next(context);
    });
}
