using ClinicChat.Tests.Shared;
using Npgsql;

namespace ClinicChat.Tests.Postgres;

/// <summary>The throwaway server behaves like a database that restarts and crashes, and cleans up after itself.</summary>
[Trait("Category", "Slow")] // a throwaway PostgreSQL server
public sealed class PostgresServerTests : IAsyncLifetime
{
    private PostgresServer _server = null!;

    public async Task InitializeAsync() => _server = await PostgresServer.StartNewAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ACommittedRowSurvivesKillingTheServerOutright()
    {
        var connectionString = await _server.CreateDatabaseAsync("crash");
        await ExecuteAsync(connectionString, "CREATE TABLE notes (text TEXT NOT NULL); INSERT INTO notes VALUES ('committed');");

        await _server.KillAsync();
        var runningAfterKill = _server.IsRunning;
        await _server.StartAsync();

        Assert.False(runningAfterKill);
        Assert.Equal("committed", await ScalarAsync(connectionString, "SELECT text FROM notes"));
    }

    [Fact]
    public async Task AStoppedServerStartsAgainOnTheSameDataAndPort()
    {
        var connectionString = await _server.CreateDatabaseAsync("restart");
        await ExecuteAsync(connectionString, "CREATE TABLE notes (text TEXT NOT NULL); INSERT INTO notes VALUES ('kept');");
        var port = _server.Port;

        await _server.StopAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ScalarAsync(connectionString, "SELECT 1"));
        await _server.StartAsync();

        Assert.Equal(port, _server.Port);
        Assert.Equal("kept", await ScalarAsync(connectionString, "SELECT text FROM notes"));
    }

    [Fact]
    public async Task DisposingTheServerStopsItAndDeletesItsFolder()
    {
        var server = await PostgresServer.StartNewAsync();
        var connectionString = server.ConnectionString("postgres");

        await server.DisposeAsync();

        Assert.False(server.IsRunning);
        Assert.False(Directory.Exists(server.Root));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ScalarAsync(connectionString, "SELECT 1"));
    }

    // No pooling: a pooled connection would outlive the server it was opened on.
    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
