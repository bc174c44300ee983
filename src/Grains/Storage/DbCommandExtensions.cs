using System.Data.Common;

namespace ClinicChat.Storage;

internal static class DbCommandExtensions
{
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var kept = command.Parameters.IndexOf(name);
        var parameter = kept >= 0 ? command.Parameters[kept] : command.CreateParameter();
        parameter.Value = value switch
        {
            null => DBNull.Value,
            Guid guid => guid.ToString(),
            bool flag => flag ? 1 : 0,
            DateTimeOffset time => time.ToUnixTimeMilliseconds(),
            _ => value,
        };
        if (kept < 0)
        {
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public static Guid GetGuid(this DbDataReader reader, string column) => Guid.Parse(reader.GetString(reader.GetOrdinal(column)));

    public static Guid? GetNullableGuid(this DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : Guid.Parse(reader.GetString(ordinal));
    }

    public static string? GetNullableString(this DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    public static DateTimeOffset GetTime(this DbDataReader reader, string column) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(reader.GetOrdinal(column)));

    public static DateTimeOffset? GetNullableTime(this DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
    }

    public static bool GetFlag(this DbDataReader reader, string column) => reader.GetInt64(reader.GetOrdinal(column)) != 0;

    public static long GetLong(this DbDataReader reader, string column) => reader.GetInt64(reader.GetOrdinal(column));
}
