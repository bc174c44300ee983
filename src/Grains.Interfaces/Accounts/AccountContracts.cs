namespace ClinicChat.Accounts;

/// <summary>
/// A password-reset link to send. <see cref="Token"/> is the link's secret: it travels in the outbox row's <c>code</c>
/// column, which the dispatcher clears once the mail is handed over, never in <c>link</c>.
/// </summary>
/// <param name="Email">The account's confirmed address: the only place the link goes.</param>
[GenerateSerializer, Immutable, Alias("ClinicChat.PasswordResetMail")]
public sealed record PasswordResetMail(
    [property: Id(0)] string UserId,
    [property: Id(1)] string Email,
    [property: Id(2)] string Token);

/// <summary>
/// Queues password mail: a reset link (its outbox row and the request's audit row in one commit, as every notice is) and
/// the notice that a password changed. Stateless (one per silo): a request for an address without an account does the
/// same kind of work (an audit row, one commit), so the answer's timing does not tell the two apart.
/// </summary>
[Alias("ClinicChat.Accounts.IPasswordResetGrain")]
public interface IPasswordResetGrain : IGrainWithIntegerKey
{
    Task QueueAsync(PasswordResetMail mail);

    /// <summary>A reset asked for an address no account has: audited (no address kept), nothing sent.</summary>
    Task RecordUnknownAddressAsync();

    /// <summary>
    /// Tells the holder of <paramref name="email"/> (the account's confirmed address) that its password was changed, by
    /// the account itself or with a reset link: mail with no clinic and no secret, like the reset's.
    /// </summary>
    Task QueuePasswordChangedAsync(string userId, string email);
}

/// <summary>Identity's lockout rule, handed to <see cref="IAddressLockoutGrain"/> so an unknown address locks exactly like an account.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.LockoutRule")]
public sealed record LockoutRule([property: Id(0)] int MaxFailedAttempts, [property: Id(1)] TimeSpan LockFor);

/// <summary>
/// Sign-in lockout for an email address that has no account, keyed by a hash of the normalised address (the address
/// itself is never stored). Sign-in tells a locked person so, and until when; for that answer to reveal nothing about
/// which addresses have accounts, an unknown address locks after the same number of failures, for the same time.
/// </summary>
[Alias("ClinicChat.Accounts.IAddressLockoutGrain")]
public interface IAddressLockoutGrain : IGrainWithStringKey
{
    /// <summary>When the lock ends; null when the address is not locked.</summary>
    Task<DateTimeOffset?> LockedUntilAsync();

    /// <summary>Counts a failed sign-in; answers the lock's end when this failure locked the address.</summary>
    Task<DateTimeOffset?> RecordFailureAsync(LockoutRule rule);
}
