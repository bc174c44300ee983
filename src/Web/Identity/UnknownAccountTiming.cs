using Microsoft.AspNetCore.Identity;

namespace ClinicChat.Web.Identity;

/// <summary>
/// Makes a sign-in for an unknown (or locked) account cost what a wrong password costs: one
/// verification against a dummy hash made by the same hasher with the same settings. Without it the
/// answer's timing (milliseconds against a hash's tens of milliseconds) tells which emails have accounts.
/// </summary>
public sealed class UnknownAccountTiming(IPasswordHasher<ClinicChatUser> hasher)
{
    private static readonly Lock Gate = new();
    private static string? s_dummyHash;

    public void SpendPasswordCheck(string password)
    {
        var dummy = new ClinicChatUser();
        string hash;
        lock (Gate)
        {
            hash = s_dummyHash ??= hasher.HashPassword(dummy, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
        }

        _ = hasher.VerifyHashedPassword(dummy, hash, password);
    }
}
