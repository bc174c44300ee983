import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { defaultWeeks, hasMeasurements, reportRows, responseTimesError, targetSentence, weekChoices, type DurationCell } from '../logic/responseTimes';
import type { ResponseReport } from '../types';
import { ErrorAlert } from './ErrorAlert';

/**
 * An Admin's weekly response times for one clinic: how long patients waited for a person's first answer and for their
 * conversation to be marked done, in office time. refresh: changed when the office hours were saved (the target may have
 * moved), to read the report again.
 */
export function ResponseTimesReport({ clinicId, refresh = 0 }: { clinicId: string; refresh?: number }) {
  const [weeks, setWeeks] = useState<number>(defaultWeeks);
  const [report, setReport] = useState<ResponseReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    // An answer for an earlier choice (or clinic) that arrives late is dropped.
    let current = true;
    setLoading(true);
    setError(null);
    api.responseTimes(clinicId, weeks).then(
      (answer) => current && setReport(answer),
      (caught: unknown) => {
        if (current) {
          // Weeks other than the ones chosen must not stand under the choice.
          setReport(null);
          setError(responseTimesError(caught));
        }
      },
    ).finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [clinicId, weeks, refresh]);

  return (
    <section class="response-times">
      <h2>Response times</h2>
      <p class="setting-help">
        How long patients waited for a person’s first answer, and for their conversation to be marked done. Only office hours
        count{report ? `; weeks start on Monday (${report.timeZone})` : ''}.
      </p>
      <label class="report-weeks">
        Weeks
        <select value={String(weeks)} onChange={(e) => setWeeks(Number(e.currentTarget.value))}>
          {weekChoices.map((choice) => (
            <option key={choice} value={String(choice)}>
              {choice} weeks
            </option>
          ))}
        </select>
      </label>
      <ErrorAlert message={error} />
      {report ? <ReportTable report={report} busy={loading} /> : loading && <p class="loading">Loading…</p>}
    </section>
  );
}

function ReportTable({ report, busy }: { report: ResponseReport; busy: boolean }) {
  const rows = reportRows(report);
  return (
    <>
      <p class="response-target">
        {targetSentence(report.targetMinutes)} A median or 90th percentile of first answers past it is marked “over”.
      </p>
      {!hasMeasurements(report) && <p class="setting-help">Nothing measured in these weeks yet: no first answers and no conversations marked done.</p>}
      {/* Focusable: on a phone the table scrolls sideways inside this box, and the keyboard must be able to scroll it too. */}
      <div class="table-scroll" role="region" aria-labelledby="response-times-caption" tabIndex={0} aria-busy={busy}>
        <table class="response-table">
          <caption id="response-times-caption">Response times by week, in office hours</caption>
          <colgroup>
            <col />
          </colgroup>
          <colgroup span={4} />
          <colgroup span={3} class="resolutions" />
          <thead>
            <tr>
              <th scope="col">Week</th>
              <th scope="col">First answers</th>
              <th scope="col">
                Median<span class="visually-hidden"> of first answers</span>
              </th>
              <th scope="col">
                90th percentile<span class="visually-hidden"> of first answers</span>
              </th>
              <th scope="col">Over target</th>
              <th scope="col">Resolutions</th>
              <th scope="col">
                Median<span class="visually-hidden"> of resolutions</span>
              </th>
              <th scope="col">
                90th percentile<span class="visually-hidden"> of resolutions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.weekStart}>
                <th scope="row">
                  <time dateTime={row.weekStart}>{row.week}</time>
                </th>
                <td class="count">{row.firstReply.count}</td>
                <Duration cell={row.firstReply.median} />
                <Duration cell={row.firstReply.p90} />
                <td class="count">{row.firstReply.overTarget}</td>
                <td class="count">{row.resolution.count}</td>
                <Duration cell={row.resolution.median} />
                <Duration cell={row.resolution.p90} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** "3 h 10 min"; past the target with the word "over" beside it (not only a colour); "—" read as "none". */
function Duration({ cell }: { cell: DurationCell }) {
  if (cell.none) {
    return (
      <td class="none">
        <span aria-hidden="true">—</span>
        <span class="visually-hidden">none</span>
      </td>
    );
  }
  return (
    <td class={cell.overTarget ? 'over-target' : undefined}>
      {cell.text}
      {cell.overTarget && (
        <>
          {' '}
          <span class="over-mark">
            over<span class="visually-hidden"> target</span>
          </span>
        </>
      )}
    </td>
  );
}
