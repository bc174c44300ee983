using System.Data.Common;
using ClinicChat.Storage;
using ClinicChat.Web.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ClinicChat.Web.Tests.Upgrade;

/// <summary>
/// Identity's tables are built by our committed scripts, not by EF at run time. These tests fail when
/// the Identity model (a package upgrade, a new Identity option such as passkeys) no longer matches
/// what those scripts build: the fix is a new <c>identity.{provider}.000N_….sql</c>, never an edit of
/// an applied one. The failure message names a file holding the model's own create script to diff against.
/// </summary>
public sealed class IdentitySchemaTests
{
    [Fact]
    public void OnSqliteTheCommittedIdentityScriptsBuildExactlyTheTablesTheIdentityModelDescribes()
    {
        var generated = GeneratedScript(StorageProvider.Sqlite);

        var fromModel = SqliteShape(generated);
        var fromScripts = SqliteShape(string.Join("\n", SchemaMigrator.IdentityScripts(StorageProvider.Sqlite).Select(s => s.Sql)));

        Assert.True(fromModel == fromScripts, Explain(StorageProvider.Sqlite, generated, fromModel, fromScripts));
    }

    [Fact]
    [Trait("Category", "Slow")] // a PostgreSQL server
    public async Task OnPostgreSqlTheCommittedIdentityScriptsBuildExactlyTheTablesTheIdentityModelDescribes()
    {
        await using var server = await PostgresServer.StartNewAsync();
        var generated = GeneratedScript(StorageProvider.PostgreSql);

        var fromModel = await PostgresShapeAsync(await server.CreateDatabaseAsync("from_model"), generated);
        var fromScripts = await PostgresShapeAsync(
            await server.CreateDatabaseAsync("from_scripts"), string.Join("\n", SchemaMigrator.IdentityScripts(StorageProvider.PostgreSql).Select(s => s.Sql)));

        Assert.True(fromModel == fromScripts, Explain(StorageProvider.PostgreSql, generated, fromModel, fromScripts));
    }

    [Fact]
    public void IdentityScriptOneIsRecordedUnderTheIdThatDatabasesCreatedBeforeVersionedIdentityScriptsCarry()
    {
        foreach (var provider in new[] { StorageProvider.Sqlite, StorageProvider.PostgreSql })
        {
            Assert.Equal("identity.0001_create", SchemaMigrator.IdentityScripts(provider).First().Id);
        }
    }

    /// <summary>The script EF Core would create the Identity tables with today, for <paramref name="provider"/> (no database needed).</summary>
    public static string GeneratedScript(StorageProvider provider)
    {
        // The Identity model depends on the app's Identity options (its schema version: passkeys came with version 3).
        using var appServices = new ServiceCollection()
            .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentityServiceExtensions.SchemaVersion)
            .BuildServiceProvider();
        var options = new DbContextOptionsBuilder<IdentityDb>().UseApplicationServiceProvider(appServices);
        _ = provider == StorageProvider.Sqlite ? options.UseSqlite("Data Source=:memory:") : options.UseNpgsql("Host=127.0.0.1;Database=unused");
        using var db = new IdentityDb(options.Options);
        return db.Database.GenerateCreateScript();
    }

    private static string SqliteShape(string script)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, script);
        return Describe(connection, """
            SELECT m.name, p.cid, p.name, p.type, p."notnull", COALESCE(p.dflt_value, ''), p.pk
            FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid;
            SELECT m.name, i.name, i."unique", ii.seqno, ii.name
            FROM sqlite_master m JOIN pragma_index_list(m.name) i JOIN pragma_index_info(i.name) ii WHERE m.type = 'table' ORDER BY m.name, i.name, ii.seqno;
            SELECT m.name, f.id, f.seq, f."table", f."from", f."to", f.on_delete
            FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq;
            """);
    }

    private static async Task<string> PostgresShapeAsync(string connectionString, string script)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        Execute(connection, script);
        return Describe(connection, """
            SELECT table_name, ordinal_position, column_name, data_type, COALESCE(character_maximum_length, 0), is_nullable, COALESCE(column_default, ''), COALESCE(is_identity, '')
            FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position;
            SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname;
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2;
            """);
    }

    private static void Execute(DbConnection connection, string script)
    {
        if (string.IsNullOrWhiteSpace(script))
        {
            return; // No scripts: the comparison tells what is missing.
        }

        using var command = connection.CreateCommand();
        command.CommandText = script;
        command.ExecuteNonQuery();
    }

    private static string Describe(DbConnection connection, string queries)
    {
        var shape = new StringBuilder();
        using var command = connection.CreateCommand();
        command.CommandText = queries;
        using var reader = command.ExecuteReader();
        do
        {
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    shape.Append(reader.GetValue(i)).Append(" | ");
                }

                shape.AppendLine();
            }

            shape.AppendLine("--");
        }
        while (reader.NextResult());

        return shape.ToString();
    }

    private static string Explain(StorageProvider provider, string generated, string fromModel, string fromScripts)
    {
        var file = Path.Combine(Path.GetTempPath(), $"identity.{provider.ToString().ToLowerInvariant()}.generated.sql");
        File.WriteAllText(file, generated);
        return $"The Identity model no longer matches src/Grains/Storage/Schema/identity.{provider.ToString().ToLowerInvariant()}.*.sql. " +
            $"Add a numbered script that takes the tables from what they are to what the model says (EF's own create script is in {file}).\n" +
            $"Model:\n{fromModel}\nScripts:\n{fromScripts}";
    }
}
