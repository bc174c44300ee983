using System.Net;
using System.Text;

namespace ClinicChat.Notices.Email;

/// <summary>
/// The HTML part: the text part's paragraphs, HTML-escaped, with the link shown as a button labelled with the words
/// before it ("Sign in to read it"). Inline styles only (mail clients drop style sheets), no images and nothing that
/// loads from a server, so opening the email tells nobody anything.
/// </summary>
public static class NoticeEmailHtml
{
    private const string ParagraphStyle = "margin:0 0 16px;font-size:16px;line-height:1.5;";
    private const string ButtonStyle =
        "display:inline-block;padding:12px 20px;background:#0b5cad;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600;font-size:16px;";
    private const string LinkTextStyle = "margin:0 0 16px;font-size:13px;line-height:1.5;color:#57606a;word-break:break-all;";

    public static string Render(string subject, string text, string? link)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Append("<title>").Append(Escape(subject)).Append("</title></head>")
            .Append("<body style=\"margin:0;padding:24px;background:#f6f7f9;color:#1f2328;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;\">")
            .Append("<div style=\"max-width:560px;margin:0 auto;padding:24px;background:#ffffff;border-radius:8px;\">");

        foreach (var paragraph in text.Split("\n\n"))
        {
            if (ButtonLink(link) is { } href && paragraph.EndsWith(href, StringComparison.Ordinal))
            {
                var label = paragraph[..^href.Length].TrimEnd().TrimEnd(':') is { Length: > 0 } words ? words : href;
                html.Append("<p style=\"margin:24px 0;\"><a href=\"").Append(Escape(href)).Append("\" style=\"").Append(ButtonStyle).Append("\">")
                    .Append(Escape(label)).Append("</a></p>")
                    // The address as text too, for clients that hide buttons and for people who copy links.
                    .Append("<p style=\"").Append(LinkTextStyle).Append("\">").Append(Escape(href)).Append("</p>");
            }
            else
            {
                html.Append("<p style=\"").Append(ParagraphStyle).Append("\">")
                    .Append(Escape(paragraph).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</p>");
            }
        }

        return html.Append("</div></body></html>").ToString();
    }

    /// <summary>Only an absolute http(s) address becomes a button; anything else stays text.</summary>
    private static string? ButtonLink(string? link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? link : null;

    private static string Escape(string value) => WebUtility.HtmlEncode(value);
}
