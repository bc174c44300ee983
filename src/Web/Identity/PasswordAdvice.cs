using Microsoft.AspNetCore.Identity;

namespace ClinicChat.Web.Identity;

/// <summary>
/// What a refused password lacks, said as what to do ("Add a digit (0–9)."): Identity's own wording ("Passwords must have
/// at least one non alphanumeric character.") reached the people choosing one. Joined in the refusal's <c>detail</c>.
/// </summary>
public sealed class PasswordAdvice : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) => Advice(nameof(PasswordTooShort), $"Use at least {length} characters.");

    public override IdentityError PasswordRequiresNonAlphanumeric() => Advice(nameof(PasswordRequiresNonAlphanumeric), "Add a symbol, such as ! or #.");

    public override IdentityError PasswordRequiresDigit() => Advice(nameof(PasswordRequiresDigit), "Add a digit (0–9).");

    public override IdentityError PasswordRequiresLower() => Advice(nameof(PasswordRequiresLower), "Add a lower-case letter.");

    public override IdentityError PasswordRequiresUpper() => Advice(nameof(PasswordRequiresUpper), "Add a capital letter.");

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) =>
        Advice(nameof(PasswordRequiresUniqueChars), $"Use at least {uniqueChars} different characters.");

    private static IdentityError Advice(string code, string description) => new() { Code = code, Description = description };
}
