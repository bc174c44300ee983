import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { rolesOf } from '../logic/roles';
import type { DevelopmentOutboxEntry, Me } from '../types';
import { ClinicPicker } from './ClinicPicker';
import { ErrorAlert } from './ErrorAlert';
import { LinkedText } from './LinkedText';

/**
 * Whether this deployment has a development outbox (the Development environment, which sends no notice outside):
 * asked of the server once, for the first clinic the user administers, since only it knows its environment.
 */
export function useDevelopmentOutboxAvailable(me: Me | null): boolean {
  // Not while two-step enrolment is all a session may do: the server would refuse the question.
  const clinicId = me && !me.totpEnrolmentRequired ? (rolesOf(me).adminClinics[0]?.clinicId ?? null) : null;
  const [available, setAvailable] = useState(false);
  useEffect(() => {
    if (clinicId) {
      api.developmentOutbox(clinicId).then(
        () => setAvailable(true),
        () => setAvailable(false),
      );
    }
  }, [clinicId]);
  return available;
}

/** The notices a clinic's patients would have received, newest first, worded as they would read them (Development only). */
export function DevelopmentOutbox({ me }: { me: Me }) {
  const clinics = rolesOf(me).adminClinics;
  const [clinicId, setClinicId] = useState(clinics[0]?.clinicId ?? '');
  const [entries, setEntries] = useState<DevelopmentOutboxEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () => {
    setError(null);
    api.developmentOutbox(clinicId).then(setEntries, () => setError('The development outbox could not be loaded.'));
  };
  useEffect(load, [clinicId]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <section class="dev-outbox" aria-labelledby="dev-outbox-title">
      <h1 id="dev-outbox-title">Notices (development)</h1>
      <p class="setting-help">
        In Development no email or text leaves this machine: each notice is kept here instead, as its recipient would read it (latest 100).
      </p>
      <ClinicPicker clinics={clinics} value={clinicId} onChange={setClinicId} layout="inline" />{' '}
      <button type="button" onClick={load}>
        Refresh
      </button>
      <ErrorAlert message={error} />
      {entries && entries.length === 0 && <p class="empty">No notices yet.</p>}
      {entries && entries.length > 0 && (
        <ol class="dev-outbox-list" aria-label="Notices, newest first">
          {entries.map((e) => (
            <li key={e.id}>
              <p class="dev-outbox-facts">
                <time dateTime={e.decidedAt}>{new Date(e.decidedAt).toLocaleString()}</time> · {e.channel} · {e.template}
                {e.maskedAddress && <> · to {e.maskedAddress}</>} · {e.state}
              </p>
              {e.subject && <p class="dev-outbox-subject">{e.subject}</p>}
              {e.text && (
                <pre class="notice-text">
                  <LinkedText text={e.text} />
                </pre>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
