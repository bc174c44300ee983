namespace ClinicChat.Attachments;

/// <summary>
/// Where attachment bytes live, content-addressed by SHA-256. Embedded mode: files under the data
/// folder (<c>FileBlobStore</c>); cluster mode: the shared database (<c>DatabaseBlobStore</c>),
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
