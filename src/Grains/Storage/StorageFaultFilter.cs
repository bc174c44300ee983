using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace ClinicChat.Storage;

/// <summary>
/// Turns database exceptions that escape a grain call into <see cref="StorageUnavailableException"/>:
/// the driver's own exception types have no Orleans codec (the call would fail to serialise) and
/// their messages can quote row values. The web tier answers 503 temporarily_unavailable.
/// </summary>
public sealed partial class StorageFaultFilter(ILogger<StorageFaultFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception fault) when ((fault as DbException ?? fault.InnerException as DbException) is { } exception)
        {
            var code = exception.SqlState ?? exception.ErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            LogStorageFault(context.InterfaceName, context.MethodName, code);
            throw new StorageUnavailableException(code);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage failed during {Interface}.{Method} (error {ErrorCode}).")]
    private partial void LogStorageFault(string @interface, string method, string errorCode);
}
