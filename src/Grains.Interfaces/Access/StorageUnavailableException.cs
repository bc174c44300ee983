namespace ClinicChat.Access;

/// <summary>
/// The database could not complete a grain's read or write (restarting, out of connections, a lost
/// connection). Driver exceptions cannot cross the wire and may quote row values, so grains answer
/// with this instead: retryable, carrying only the engine's error code.
/// </summary>
[GenerateSerializer, Alias("ClinicChat.StorageUnavailableException")]
public sealed class StorageUnavailableException : OrleansException
{
    public StorageUnavailableException(string errorCode)
        : base($"The database is unavailable (error {errorCode}); retry.")
    {
        ErrorCode = errorCode;
    }

    [Id(0)]
    public string ErrorCode { get; }
}
