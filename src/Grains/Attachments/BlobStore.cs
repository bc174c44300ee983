using System.Security.Cryptography;

namespace ClinicChat.Attachments;

/// <summary>
/// Where attachment bytes live, content-addressed by SHA-256. Embedded mode: files under the data
/// folder (<see cref="FileBlobStore"/>); cluster mode: the shared database (<see cref="DatabaseBlobStore"/>),
/// so that every web node can serve what any other stored.
/// </summary>
public interface IBlobStore
{
    /// <summary>Moves a finished upload into the store under its SHA-256; returns the hash.</summary>
    Task<string> PutAsync(string uploadedFile, CancellationToken cancellationToken);

    /// <summary>The blob's bytes as a stream the caller disposes; never buffered whole in memory.</summary>
    Task<Stream> OpenAsync(string sha256, CancellationToken cancellationToken);

    /// <summary>The preview of a blob, rendering and keeping it on first use; null when it has none.</summary>
    Task<Stream?> OpenPreviewAsync(string sha256, string contentType, CancellationToken cancellationToken);

    /// <summary>A temp file path for an upload in progress, on the same volume as the store.</summary>
    string NewUploadPath();
}

/// <summary>Content-addressed files: <c>attachments/ab/abcdef…</c>. Names never come from clients.</summary>
public sealed class FileBlobStore : IBlobStore
{
    private readonly string _root;
    private readonly string _uploads;

    public FileBlobStore(string dataDirectory)
    {
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
        if (!File.Exists(preview))
        {
            var rendering = NewUploadPath();
            // Rendering is CPU-bound native work: keep it off the request's thread.
            var rendered = await Task.Run(() => AttachmentPreviews.TryRender(PathOf(sha256), contentType, rendering), cancellationToken);
            if (!rendered)
            {
                return null;
            }

            File.Move(rendering, preview, overwrite: true);
        }

        return new FileStream(preview, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024, useAsync: true);
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
