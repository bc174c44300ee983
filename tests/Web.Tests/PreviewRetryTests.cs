using System.Diagnostics;
using ClinicChat.Attachments;
using ClinicChat.Storage;
using ImageMagick;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ClinicChat.Web.Tests;

/// <summary>
/// A preview worker that gives no answer (it did not start, crashed, or ran past the deadline) says nothing about the
/// file: neither store keeps "no preview" for it, and a later request renders it. The failure is a real one: the worker
/// is started with an assembly that is not there, as on a node installed without it, and exits with the host's error.
/// </summary>
public sealed class PreviewRetryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("clinicchat-preview-retry-").FullName;

    private readonly byte[] _photo = Photo();

    private readonly byte[] _pdf = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 260]>>endobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"u8.ToArray();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task AWorkerThatDoesNotStartLeavesNoEmptyPreviewInTheFileStoreAndTheFileIsRenderedLater()
    {
        var sha256 = await PutAsync(new FileBlobStore(_folder, Renderer(BrokenWorker())), _photo);

        var failed = await new FileBlobStore(_folder, Renderer(BrokenWorker())).OpenPreviewAsync(sha256, "image/jpeg", CancellationToken.None);

        Assert.Null(failed);
        Assert.False(File.Exists(Path.Combine(_folder, "attachments", sha256[..2], sha256 + ".preview.jpg")), "a failed start was kept as the file's answer");
        // A restarted node whose worker runs (the install was fixed): the same store renders the file.
        await using var later = await new FileBlobStore(_folder, Renderer(new PreviewOptions())).OpenPreviewAsync(sha256, "image/jpeg", CancellationToken.None);
        Assert.NotNull(later);
    }

    [Fact]
    [Trait("Category", "Slow")] // a throwaway PostgreSQL server
    public async Task AWorkerThatDoesNotStartLeavesNoEmptyPreviewInTheDatabaseStoreAndTheFileIsRenderedLater()
    {
        await using var server = await PostgresServer.StartNewAsync();
        var connectionString = await server.CreateDatabaseAsync("previews");
        var database = new ChatDatabase(StorageProvider.PostgreSql, connectionString);
        await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        var sha256 = await PutAsync(new DatabaseBlobStore(database, _folder, Renderer(BrokenWorker())), _photo);

        var failed = await new DatabaseBlobStore(database, _folder, Renderer(BrokenWorker())).OpenPreviewAsync(sha256, "image/jpeg", CancellationToken.None);

        Assert.Null(failed);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM blob_previews", connection);
            Assert.Equal(0L, await count.ExecuteScalarAsync());
        }

        await using var later = await new DatabaseBlobStore(database, _folder, Renderer(new PreviewOptions())).OpenPreviewAsync(sha256, "image/jpeg", CancellationToken.None);
        Assert.NotNull(later);
    }

    [Fact]
    public async Task AFileWithoutAnAnswerStartsNoWorkerForFiveMinutesThenIsTriedAgain()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var options = BrokenWorker();
        var store = new FileBlobStore(_folder, Renderer(options, time));
        var sha256 = await PutAsync(store, _photo);
        Assert.Null(await store.OpenPreviewAsync(sha256, "image/jpeg", CancellationToken.None));

        // The worker would run now; a request within the five minutes still starts none (it would have rendered).
        options.WorkerAssembly = null;
        time.Advance(PreviewRenderer.RetryUnavailableAfter - TimeSpan.FromSeconds(1));
        Assert.Null(await store.OpenPreviewAsync(sha256, "image/jpeg", CancellationToken.None));

        time.Advance(TimeSpan.FromSeconds(1));
        await using var retried = await store.OpenPreviewAsync(sha256, "image/jpeg", CancellationToken.None);
        Assert.NotNull(retried);
    }

    [Fact]
    public async Task APdfAskedOfANodeWithoutGhostscriptIsNotMarkedNoPreviewAndANodeWithItRendersIt()
    {
        var sha256 = await PutAsync(new FileBlobStore(_folder, Renderer(new PreviewOptions())), _pdf);
        var withoutGhostscript = new PreviewRenderer(new PreviewOptions(), NullLogger<PreviewRenderer>.Instance,
            rendererInstalled: contentType => contentType != "application/pdf");

        var unavailable = await new FileBlobStore(_folder, withoutGhostscript).OpenPreviewAsync(sha256, "application/pdf", CancellationToken.None);

        Assert.Null(unavailable);
        Assert.False(File.Exists(Path.Combine(_folder, "attachments", sha256[..2], sha256 + ".preview.jpg")), "a node without the renderer stored an answer for the file");
        await using var rendered = await new FileBlobStore(_folder, Renderer(new PreviewOptions())).OpenPreviewAsync(sha256, "application/pdf", CancellationToken.None);
        Assert.NotNull(rendered);
    }

    [Fact]
    public async Task TheWorkerWithoutGhostscriptOnItsPathSaysItHasNoRendererNotThatThePdfHasNoPreview()
    {
        var input = Path.Combine(_folder, "input");
        await File.WriteAllBytesAsync(input, _pdf);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "ClinicChat.PreviewWorker.dll"), "application/pdf", input, Path.Combine(_folder, "preview.jpg"), "480", "1000000", "10" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PATH"] = _folder;
        using var worker = Process.Start(start)!;
        await worker.WaitForExitAsync();

        Assert.Equal(4, worker.ExitCode);
        Assert.False(File.Exists(Path.Combine(_folder, "preview.jpg")));
    }

    private PreviewOptions BrokenWorker() => new() { WorkerAssembly = Path.Combine(_folder, "ClinicChat.PreviewWorker.dll") };

    private static PreviewRenderer Renderer(PreviewOptions options, TimeProvider? time = null) =>
        new(options, NullLogger<PreviewRenderer>.Instance, time);

    private static async Task<string> PutAsync(IBlobStore store, byte[] content)
    {
        var upload = store.NewUploadPath();
        await File.WriteAllBytesAsync(upload, content);
        return await store.PutAsync(upload, CancellationToken.None);
    }

    private static byte[] Photo()
    {
        using var photo = new MagickImage(MagickColors.Teal, 640, 480) { Format = MagickFormat.Jpeg };
        return photo.ToByteArray();
    }
}
