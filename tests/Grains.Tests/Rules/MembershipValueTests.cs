using ClinicChat.Staff;

namespace ClinicChat.Tests.Rules;

/// <summary>The membership claim's value: written and read by one rule, so a role read back is the role written.</summary>
public sealed class MembershipValueTests
{
    [Theory]
    [InlineData(StaffRole.Clinician)]
    [InlineData(StaffRole.FrontDesk)]
    [InlineData(StaffRole.Billing)]
    [InlineData(StaffRole.Admin)]
    public void ARoleReadsBackAsWritten(StaffRole role)
    {
        Assert.Equal(role, StaffRules.RoleOf(StaffRules.MembershipValue(Guid.NewGuid(), role)));
    }

    [Fact]
    public void ARoleThisBuildDoesNotKnowIsNone()
    {
        Assert.Null(StaffRules.RoleOf($"{Guid.NewGuid():D}:Surgeon"));
    }
}
