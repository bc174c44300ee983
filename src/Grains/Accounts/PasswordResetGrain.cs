using ClinicChat.Notices;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace ClinicChat.Accounts;

/// <summary>See <see cref="IPasswordResetGrain"/>. Holds nothing: each request is one commit of the group-commit writer.</summary>
[StatelessWorker]
public sealed class PasswordResetGrain(
    GroupCommitWriter writer,
    NoticeLinks links,
    NoticeDispatcher dispatcher,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IPasswordResetGrain
{
    /// <summary>The page a reset link opens; the token follows it in the fragment, which no server log sees.</summary>
    public const string PagePath = "/#/reset-password/";

    public async Task QueueAsync(PasswordResetMail mail)
    {
        var now = time.GetUtcNow();
        // No clinic on the row: the mail is worded for any account, and no clinic's development outbox shows its link.
        var row = OutboxRow.AccountMail(mail.UserId, clinicId: null, NoticeTemplates.PasswordReset, mail.Email, links.Home() + PagePath, mail.Token, now);
        // In the chain of no clinic, like the unknown address's: anyone may ask, so the request says nothing of the account's holder.
        var audit = new AuditEvent(AuditActions.PasswordResetRequested, mail.UserId, null, null, null, AuditOutcomes.Success,
            $"address={ContactMasks.Mask(NoticeChannel.Email, mail.Email)}");
        await writer.WriteAsync(NoticeStore.Queue([row]).Then(AuditLog.Append(now, audit)));
        dispatcher.Wake();
    }

    public async Task QueuePasswordChangedAsync(string userId, string email)
    {
        var now = time.GetUtcNow();
        // The sign-in page, whose "Forgot password?" is what to do if the change was not theirs.
        var row = OutboxRow.AccountMail(userId, clinicId: null, NoticeTemplates.PasswordChanged, email, links.Home(), code: null, now);
        await writer.WriteAsync(NoticeStore.Queue([row]));
        dispatcher.Wake();
    }

    public Task RecordUnknownAddressAsync()
    {
        var now = time.GetUtcNow();
        return writer.WriteAsync(AuditLog.Append(now, new AuditEvent(
            AuditActions.PasswordResetRequested, "unknown", null, null, null, AuditOutcomes.Failure, "no_account")));
    }
}
