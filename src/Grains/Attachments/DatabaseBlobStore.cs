using System.Data;
using System.Data.Common;
using System.Security.Cryptography;

namespace ClinicChat.Attachments;

/// <summary>
/// Attachment bytes in the shared database (table <c>blobs</c>), for cluster mode: any web node reads
/// what another stored. Bytes are streamed both ways (a file stream as the parameter on the way in,
/// a sequential reader on the way out), so a 25 MB file never sits in memory whole.
/// </summary>
public sealed class DatabaseBlobStore : IBlobStore
{
    private readonly ChatDatabase _database;
    private readonly string _uploads;
    private readonly PreviewRenderer _renderer;

    public DatabaseBlobStore(ChatDatabase database, string dataDirectory, PreviewRenderer renderer)
    {
        _database = database;
        _renderer = renderer;
        // Uploads are spooled on the receiving node only until they are stored.
        _uploads = Path.Combine(dataDirectory, "uploads");
        Directory.CreateDirectory(_uploads);
    }

    public string NewUploadPath() => Path.Combine(_uploads, Guid.NewGuid().ToString("N"));

    public async Task<string> PutAsync(string uploadedFile, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = new FileStream(uploadedFile, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024, useAsync: true);
            var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
            file.Position = 0;
            await using var connection = await _database.OpenAsync(cancellationToken);
            // Same content stored before: nothing to write (content addressing makes this safe).
            await using var insert = connection.Command("INSERT INTO blobs (sha256, size_bytes, content) VALUES (@sha, @size, @content) ON CONFLICT (sha256) DO NOTHING");
            await insert.With("@sha", hash).With("@size", file.Length).With("@content", file).ExecuteNonQueryAsync(cancellationToken);
            return hash;
        }
        finally
        {
            File.Delete(uploadedFile);
        }
    }

    public Task<Stream> OpenAsync(string sha256, CancellationToken cancellationToken) => OpenContentAsync("blobs", sha256, cancellationToken)!;

    public async Task<Stream?> OpenPreviewAsync(string sha256, string contentType, CancellationToken cancellationToken)
    {
        var stored = await StoredPreviewLengthAsync(sha256, cancellationToken);
        if (stored == 0)
        {
            return null; // An empty preview records that this file has none.
        }

        if (stored is null
            && await _renderer.OnceAsync(sha256, () => RenderAndStoreAsync(sha256, contentType), cancellationToken) != PreviewOutcome.Rendered)
        {
            return null;
        }

        return await OpenContentAsync("blob_previews", sha256, cancellationToken, required: false);
    }

    /// <summary>Renders once and keeps the preview (or the fact that there is none) in the database for every node.</summary>
    private async Task<PreviewOutcome> RenderAndStoreAsync(string sha256, string contentType)
    {
        if (await StoredPreviewLengthAsync(sha256, CancellationToken.None) is { } length)
        {
            return length > 0 ? PreviewOutcome.Rendered : PreviewOutcome.NoPreview;
        }

        var rendering = NewUploadPath();
        try
        {
            var render = await _renderer.RenderAsync(PreviewRenderer.CopyOf(token => OpenAsync(sha256, token)), contentType, rendering, CancellationToken.None);
            if (render.Outcome == PreviewOutcome.Unavailable)
            {
                return render.Outcome;
            }

            await using var preview = render.Outcome == PreviewOutcome.Rendered ? File.OpenRead(rendering) : Stream.Null;
            await using var connection = await _database.OpenAsync(CancellationToken.None);
            await using var insert = connection.Command("INSERT INTO blob_previews (sha256, content) VALUES (@sha, @content) ON CONFLICT (sha256) DO NOTHING");
            await insert.With("@sha", sha256).With("@content", render.Outcome == PreviewOutcome.Rendered ? preview : (object)Array.Empty<byte>()).ExecuteNonQueryAsync();
            return render.Outcome;
        }
        finally
        {
            File.Delete(rendering);
        }
    }

    private async Task<long?> StoredPreviewLengthAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        // length() of a blob (SQLite) or bytea (PostgreSQL) is its size in bytes in both dialects.
        await using var query = connection.Command("SELECT length(content) FROM blob_previews WHERE sha256 = @sha");
        var length = await query.With("@sha", sha256).ExecuteScalarAsync(cancellationToken);
        return length is null or DBNull ? null : Convert.ToInt64(length, System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<Stream?> OpenContentAsync(string table, string sha256, CancellationToken cancellationToken, bool required = true)
    {
        var connection = await _database.OpenAsync(cancellationToken);
        try
        {
            var command = connection.Command($"SELECT content FROM {table} WHERE sha256 = @sha");
            command.With("@sha", sha256);
            var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                await reader.DisposeAsync();
                await connection.DisposeAsync();
                return required ? throw new FileNotFoundException("No blob with that hash.", sha256) : null;
            }

            return new OwningStream(reader.GetStream(0), reader, connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A blob's column stream that closes its reader and connection when the response is done with it.</summary>
    private sealed class OwningStream(Stream inner, DbDataReader reader, DbConnection connection) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await reader.DisposeAsync();
            await connection.DisposeAsync();
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                reader.Dispose();
                connection.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
