using System.Security.Cryptography;

namespace ClinicChat.Attachments;

/// <summary>Content-addressed files: <c>attachments/ab/abcdef…</c>. Names never come from clients.</summary>
public sealed class FileBlobStore : IBlobStore
{
    private readonly string _root;
    private readonly string _uploads;
    private readonly PreviewRenderer _renderer;

    public FileBlobStore(string dataDirectory, PreviewRenderer renderer)
    {
        _renderer = renderer;
        _root = Path.Combine(dataDirectory, "attachments");
        _uploads = Path.Combine(_root, "uploads");
        Directory.CreateDirectory(_uploads);
    }

    public string NewUploadPath() => Path.Combine(_uploads, Guid.NewGuid().ToString("N"));

    public async Task<string> PutAsync(string uploadedFile, CancellationToken cancellationToken)
    {
        string hash;
        await using (var file = File.OpenRead(uploadedFile))
        {
            hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        }

        var target = PathOf(hash);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            File.Delete(uploadedFile); // Same content already stored.
        }
        else
        {
            File.Move(uploadedFile, target);
        }

        return hash;
    }

    public Task<Stream> OpenAsync(string sha256, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024, useAsync: true));

    public async Task<Stream?> OpenPreviewAsync(string sha256, string contentType, CancellationToken cancellationToken)
    {
        var preview = PathOf(sha256) + ".preview.jpg";
        if (!File.Exists(preview)
            && await _renderer.OnceAsync(sha256, () => RenderAsync(sha256, contentType, preview), cancellationToken) == PreviewOutcome.Unavailable)
        {
            return null;
        }

        var stream = new FileStream(preview, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024, useAsync: true);
        if (stream.Length == 0)
        {
            // An empty preview records that this file has none: it is never rendered again.
            await stream.DisposeAsync();
            return null;
        }

        return stream;
    }

    private async Task<PreviewOutcome> RenderAsync(string sha256, string contentType, string preview)
    {
        if (File.Exists(preview))
        {
            return PreviewOutcome.Rendered; // A render that finished while this one was being set up.
        }

        // Rendered next to the store, then renamed into place: a reader never sees half a preview.
        var rendering = NewUploadPath();
        var render = await _renderer.RenderAsync(PreviewRenderer.CopyOf(token => OpenAsync(sha256, token)), contentType, rendering, CancellationToken.None);
        switch (render.Outcome)
        {
            case PreviewOutcome.Rendered:
                File.Move(rendering, preview, overwrite: true);
                break;
            case PreviewOutcome.NoPreview:
                await File.WriteAllBytesAsync(rendering, []);
                File.Move(rendering, preview, overwrite: true);
                break;
        }

        return render.Outcome;
    }

    private string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("Not a SHA-256 hex digest.", nameof(sha256));
        }

        return Path.Combine(_root, sha256[..2], sha256);
    }
}
