using System.Globalization;

namespace ClinicChat.Access;

/// <summary>
/// One caller's refusals, grouped per clinic (audit chain) and kind of target (<see cref="KindOf"/>: the
/// audit log, a record, an attachment, a thread…) into windows that the first refusal opens. Keying by
/// kind keeps the log telling: an Admin sees at once that someone was refused the audit log even if
/// they were refused records a moment earlier; the number of kinds is small, so flooding stays bounded.
/// That first refusal is written at once (an alert on the log sees an attack start immediately); the
/// rest of the window is counted and written as one <see cref="AuditActions.AccessDeniedSummary"/> row
/// with the count and a few of the targets when the window closes. Plain class: no clock, no storage.
/// </summary>
public sealed class DeniedAccessWindows(TimeSpan length, int maxOpenWindows = DeniedAccessWindows.DefaultMaxOpenWindows)
{
    public const int DefaultMaxOpenWindows = 1000;

    /// <summary>Targets named in a summary row; more are counted, not listed, so a row stays small.</summary>
    public const int MaxListedTargets = 5;

    /// <summary>Distinct targets counted exactly up to this; beyond it the summary says "more than".</summary>
    public const int MaxCountedTargets = 100;

    private readonly Dictionary<string, Window> _open = [];

    public TimeSpan Length { get; } = length;

    /// <summary>When the earliest open window ends (null: none open).</summary>
    public DateTimeOffset? NextEnd => _open.Count == 0 ? null : _open.Values.Min(w => w.End);

    /// <summary>
    /// Takes one refusal at <paramref name="now"/> and returns the rows to write now: the summary of this
    /// clinic's window if it has ended, then the refusal itself if it opens a new window (none if counted).
    /// </summary>
    public IReadOnlyList<AuditEvent> Add(AuditEvent denied, DateTimeOffset now)
    {
        var chain = AuditLog.ChainOf(denied.ClinicId) + "|" + KindOf(denied);
        var rows = new List<AuditEvent>(2);
        if (_open.TryGetValue(chain, out var window))
        {
            if (now < window.End)
            {
                window.Count(TargetOf(denied));
                return rows;
            }

            _open.Remove(chain);
            if (window.Summary() is { } summary)
            {
                rows.Add(summary);
            }
        }

        // Beyond the cap (a caller refused at more clinics in one window than anyone could mean to) each
        // refusal is written on its own: nothing is lost, and memory stays bounded.
        if (_open.Count < maxOpenWindows)
        {
            _open[chain] = new Window(denied, now, now + Length);
        }

        rows.Add(denied);
        return rows;
    }

    /// <summary>Closes the windows that have ended by <paramref name="now"/> and returns their summaries.</summary>
    public IReadOnlyList<AuditEvent> CloseEnded(DateTimeOffset now)
    {
        var ended = _open.Where(pair => pair.Value.End <= now).ToList();
        foreach (var pair in ended)
        {
            _open.Remove(pair.Key);
        }

        return [.. ended.Select(pair => pair.Value.Summary()).OfType<AuditEvent>()];
    }

    /// <summary>Closes every window (the holder is going away) and returns their summaries.</summary>
    public IReadOnlyList<AuditEvent> CloseAll() => CloseEnded(DateTimeOffset.MaxValue);

    /// <summary>The kind of target: the detail's first word ("audit", "record", "attachment", "records.list"), else a thread.</summary>
    public static string KindOf(AuditEvent denied) =>
        denied.Detail is { } detail ? detail.Split('=', ';')[0] : "conversation";

    /// <summary>What a refusal was aimed at: its detail (the route or record), else the conversation.</summary>
    public static string TargetOf(AuditEvent denied) => (denied.Detail, denied.ConversationId) switch
    {
        ({ } detail, _) => detail,
        (null, { } conversation) => $"conversation={conversation}",
        _ => "-",
    };

    private sealed class Window(AuditEvent first, DateTimeOffset start, DateTimeOffset end)
    {
        private readonly HashSet<string> _targets = [TargetOf(first)];
        private readonly List<string> _listed = [TargetOf(first)];
        private int _count;
        private bool _moreTargets;

        public DateTimeOffset End { get; } = end;

        public void Count(string target)
        {
            _count++;
            if (_targets.Count >= MaxCountedTargets)
            {
                _moreTargets |= !_targets.Contains(target);
                return;
            }

            if (_targets.Add(target) && _listed.Count < MaxListedTargets)
            {
                _listed.Add(target);
            }
        }

        /// <summary>Null when the first refusal was the only one: it is already written.</summary>
        public AuditEvent? Summary()
        {
            if (_count == 0)
            {
                return null;
            }

            var targets = _moreTargets ? $">{_targets.Count.ToString(CultureInfo.InvariantCulture)}" : _targets.Count.ToString(CultureInfo.InvariantCulture);
            var detail = string.Create(CultureInfo.InvariantCulture,
                $"count={_count};since={start.ToUnixTimeMilliseconds()};targets={targets};sample={string.Join(',', _listed)}");
            return new AuditEvent(AuditActions.AccessDeniedSummary, first.ActorId, first.ClinicId, null, null, AuditOutcomes.Denied, detail);
        }
    }
}
