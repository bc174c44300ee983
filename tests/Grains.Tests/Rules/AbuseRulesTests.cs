namespace ClinicChat.Tests.Rules;

public sealed class DeniedAccessWindowsTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Clinic = Guid.NewGuid();
    private static readonly Guid OtherClinic = Guid.NewGuid();

    private static AuditEvent Denied(Guid? clinic, string detail = "clinic_security") =>
        new(AuditActions.AccessDenied, "mallory", clinic, null, null, AuditOutcomes.Denied, detail);

    [Fact]
    public void TheFirstRefusalOfAWindowIsWrittenAtOnceAndTheRestOnlyCounted()
    {
        var windows = new DeniedAccessWindows(TimeSpan.FromMinutes(1));

        var first = windows.Add(Denied(Clinic), Noon);
        var rest = Enumerable.Range(1, 1999).SelectMany(i => windows.Add(Denied(Clinic), Noon.AddMilliseconds(i))).ToList();

        Assert.Equal([Denied(Clinic)], first);
        Assert.Empty(rest);
    }

    [Fact]
    public void AClosedWindowIsOneSummaryRowWithTheCountAndTheDistinctTargets()
    {
        var windows = new DeniedAccessWindows(TimeSpan.FromMinutes(1));
        windows.Add(Denied(Clinic, "record=a"), Noon);
        for (var i = 0; i < 10; i++)
        {
            windows.Add(Denied(Clinic, i % 2 == 0 ? "record=a" : "record=b"), Noon.AddSeconds(1));
        }

        Assert.Empty(windows.CloseEnded(Noon.AddSeconds(59)));
        var summary = Assert.Single(windows.CloseEnded(Noon.AddMinutes(1)));

        Assert.Equal((AuditActions.AccessDeniedSummary, "mallory", (Guid?)Clinic, AuditOutcomes.Denied), (summary.Action, summary.ActorId, summary.ClinicId, summary.Outcome));
        Assert.Equal($"count=10;since={Noon.ToUnixTimeMilliseconds()};targets=2;sample=record=a,record=b", summary.Detail);
        Assert.Null(windows.NextEnd);
    }

    [Fact]
    public void ARefusalAfterItsWindowEndedWritesTheSummaryAndItselfAndOpensTheNextWindow()
    {
        var windows = new DeniedAccessWindows(TimeSpan.FromMinutes(1));
        windows.Add(Denied(Clinic), Noon);
        windows.Add(Denied(Clinic), Noon.AddSeconds(30));

        var rows = windows.Add(Denied(Clinic), Noon.AddMinutes(5));

        Assert.Equal([AuditActions.AccessDeniedSummary, AuditActions.AccessDenied], rows.Select(r => r.Action));
        Assert.Equal(Noon.AddMinutes(6), windows.NextEnd);
    }

    [Fact]
    public void ALoneRefusalLeavesNoSummaryAndEachClinicHasItsOwnWindow()
    {
        var windows = new DeniedAccessWindows(TimeSpan.FromMinutes(1));

        var atClinic = windows.Add(Denied(Clinic), Noon);
        var atOther = windows.Add(Denied(OtherClinic), Noon);
        var atNoClinic = windows.Add(Denied(null), Noon);

        Assert.Equal(3, atClinic.Count + atOther.Count + atNoClinic.Count);
        Assert.Empty(windows.CloseAll());
    }

    /// <summary>Refused records a moment ago, the audit log now: the Admin sees both at once.</summary>
    [Fact]
    public void EachKindOfTargetAtAClinicHasItsOwnWindow()
    {
        var windows = new DeniedAccessWindows(TimeSpan.FromMinutes(1));

        var rows = new[] { "record=1", "records.import", "audit", "attachment=9;unsent", "record=2" }
            .SelectMany(detail => windows.Add(Denied(Clinic, detail), Noon)).ToList();
        var thread = windows.Add(new AuditEvent(AuditActions.AccessDenied, "mallory", Clinic, null, Guid.NewGuid(), AuditOutcomes.Denied), Noon);

        Assert.Equal(["record=1", "records.import", "audit", "attachment=9;unsent"], rows.Select(r => r.Detail));
        Assert.Single(thread);
    }

    [Fact]
    public void ManyDistinctTargetsAreCountedUpToACapAndListedOnlyAFew()
    {
        var windows = new DeniedAccessWindows(TimeSpan.FromMinutes(1));
        windows.Add(Denied(null, "record=first"), Noon);
        for (var i = 0; i < 500; i++)
        {
            windows.Add(Denied(null, $"record={i}"), Noon);
        }

        var summary = Assert.Single(windows.CloseAll());

        Assert.StartsWith("count=500;", summary.Detail, StringComparison.Ordinal);
        Assert.Contains($";targets=>{DeniedAccessWindows.MaxCountedTargets};", summary.Detail, StringComparison.Ordinal);
        Assert.Equal(DeniedAccessWindows.MaxListedTargets, summary.Detail!.Split("sample=")[1].Split(',').Length);
    }

    [Fact]
    public void BeyondTheCapOnOpenWindowsEveryRefusalIsWrittenOnItsOwn()
    {
        var windows = new DeniedAccessWindows(TimeSpan.FromMinutes(1), maxOpenWindows: 2);
        windows.Add(Denied(Guid.NewGuid()), Noon);
        windows.Add(Denied(Guid.NewGuid()), Noon);
        var third = Guid.NewGuid();

        var rows = windows.Add(Denied(third), Noon).Concat(windows.Add(Denied(third), Noon)).ToList();

        Assert.Equal(2, rows.Count);
    }
}

public sealed class TypingThrottleTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void OneTypingPushPerUserPerIntervalAndOtherUsersAreNotHeldBack()
    {
        var throttle = new TypingThrottle();

        var burst = Enumerable.Range(0, 100).Count(i => throttle.ShouldPush("pat", Noon.AddMilliseconds(i)));
        var someoneElse = throttle.ShouldPush("alice", Noon.AddMilliseconds(50));
        var afterTheInterval = throttle.ShouldPush("pat", Noon + TypingThrottle.Interval);

        Assert.Equal((1, true, true), (burst, someoneElse, afterTheInterval));
    }
}

public sealed class TextInputTests
{
    [Theory]
    [InlineData("Anna Müller")]
    [InlineData("kate@example.com")]
    [InlineData("😀 emoji pairs are fine")]
    [InlineData("")]
    public void OrdinaryTextIsWellFormed(string text) => Assert.True(TextInput.IsWellFormed(text));

    [Fact]
    public void UnpairedSurrogatesAndNoncharactersAreNot()
    {
        // Built here, not in InlineData: xunit passes theory data through UTF-8, which replaces lone surrogates.
        string[] illFormed = ["an\uFFFE", "an\uFFFF", "an\uFDD0", "a\uD800b", "a\uDC00", "\uD83F\uDFFE"];

        Assert.All(illFormed, text => Assert.False(TextInput.IsWellFormed(text)));
    }

    [Fact]
    public void EverythingWellFormedCanBeNormalised()
    {
        // The guard's purpose: what it lets through, string.Normalize (and so Identity) accepts.
        foreach (var text in new[] { "Anna Müller", "\u212Aelvin", "😀", "ｆｕｌｌ" })
        {
            Assert.True(TextInput.IsWellFormed(text));
            _ = text.Normalize();
        }

        Assert.Throws<ArgumentException>(() => "an\uFFFE".Normalize());
    }
}
