namespace ClinicChat.Clinics;

/// <summary>
/// A grain's copy of its clinic's profile, read again after <see cref="MaxAge"/>. A conversation consults the profile on
/// every patient message and every answer (is the clinic closed, how much office time a wait took); asking the clinic's
/// one profile activation each time put a grain call per message onto a single queue, measurable in the clinic day. A
/// change of office hours therefore reaches an active thread within <see cref="MaxAge"/>.
/// </summary>
public sealed class CachedClinicProfile(IGrainFactory grains, TimeProvider time, Guid clinicId)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(15);

    private ClinicProfile? _profile;
    private DateTimeOffset _readAt;

    public async ValueTask<ClinicProfile> GetAsync()
    {
        var now = time.GetUtcNow();
        return _profile is null || now - _readAt >= MaxAge || now < _readAt ? await ReadFreshAsync() : _profile;
    }

    /// <summary>
    /// The profile as the clinic's grain has it now (and the copy renewed): for rare decisions that must see a change made
    /// a moment ago, such as a staff look that the change of office hours itself scheduled.
    /// </summary>
    public async ValueTask<ClinicProfile> ReadFreshAsync()
    {
        _profile = await grains.GetGrain<IClinicProfileGrain>(clinicId).GetAsync();
        _readAt = time.GetUtcNow();
        return _profile;
    }
}
