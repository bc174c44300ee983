namespace ClinicChat.Notices.Sms;

/// <summary>Provider delivery reports on notice_outbox rows (delivery_status, error_code) and their audit rows.</summary>
public static class DeliveryReportStore
{
    /// <summary>
    /// Finds the row (by the notice id on the callback URL, else by the provider's message id), moves its delivery
    /// status, and for a failure appends the audit row on the row's clinic chain: one unit, so the log and the row
    /// agree. Yields false when no SMS row matches.
    /// </summary>
    public static WriteUnit<bool> Report(DeliveryReport report, string? errorCode, DateTimeOffset at) =>
        new(async scope =>
        {
            var row = await FindAsync(scope, report);
            if (row is null)
            {
                return false;
            }

            if (!DeliveryStatuses.Replaces(row.DeliveryStatus, report.Status))
            {
                return true;
            }

            var update = scope.Command(
                "UPDATE notice_outbox SET delivery_status = @status, error_code = COALESCE(@error, error_code) WHERE id = @id");
            await update.With("@status", report.Status).With("@error", errorCode).With("@id", row.Id).ExecuteNonQueryAsync();

            if (DeliveryStatuses.IsFailure(report.Status))
            {
                var detail = $"channel=sms template={row.Template} to={SmsNumbers.Mask(row.Address)} status={report.Status} error={errorCode ?? "none"}";
                await AuditLog.Append(at, new AuditEvent(
                    AuditActions.NoticeDeliveryReported, "system", row.ClinicId, row.PatientId, row.ConversationId, AuditOutcomes.Failure, detail)).RunAsync(scope);
            }

            return true;
        });

    private static async Task<ReportedRow?> FindAsync(WriteScope scope, DeliveryReport report)
    {
        if (report.NoticeId is { } noticeId && await FindByAsync(scope, "id", noticeId.ToString()) is { } byId)
        {
            return byId;
        }

        return await FindByAsync(scope, "provider_id", report.ProviderMessageId);
    }

    private static async Task<ReportedRow?> FindByAsync(WriteScope scope, string column, string value)
    {
        var command = scope.Command(
            $"""
            SELECT id, clinic_id, patient_id, conversation_id, template, address, delivery_status
              FROM notice_outbox WHERE {column} = @value AND channel = @sms
            """);
        await using var reader = await command.With("@value", value).With("@sms", (long)NoticeChannel.Sms).ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new ReportedRow(
                reader.GetGuid("id"),
                reader.GetNullableGuid("clinic_id"),
                reader.GetNullableGuid("patient_id"),
                reader.GetNullableGuid("conversation_id"),
                reader.GetString(reader.GetOrdinal("template")),
                reader.GetNullableString("address"),
                reader.GetNullableString("delivery_status"))
            : null;
    }

    private sealed record ReportedRow(Guid Id, Guid? ClinicId, Guid? PatientId, Guid? ConversationId, string Template, string? Address, string? DeliveryStatus);
}
