namespace ClinicChat.Access;

/// <summary>
/// The clock for product rules (message times, archival). It is a keyed service so that tests can
/// replace it with a FakeTimeProvider without also freezing Orleans' own timers, which resolve the
/// unkeyed <see cref="TimeProvider"/>.
/// </summary>
public static class ChatTime
{
    public const string Key = "clinicchat";
}
