import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import type { AuditEvent, AuditPatient, Me } from '../types';
import { auditActionGroups, auditExportUrl, auditListParams, describeVerification, emptyAuditFilters, type AuditFilters } from '../logic/audit';
import { rolesOf } from '../logic/roles';
import { AuditPatientPicker } from './AuditPatientPicker';
import { ClinicPicker } from './ClinicPicker';
import { ErrorAlert } from './ErrorAlert';
import { BusyButton } from './BusyButton';
import { useFocusAfterRender } from './useFocusAfterRender';
import { SetupChecklist } from './SetupChecklist';

/** The action filter's choices in alphabetical order (the catalogue keeps the server's order, which its test compares). */
const actionGroups = auditActionGroups();

/** The audit log of one clinic the user administers: filter, page back in time, export, verify. */
export function AuditLog({ me }: { me: Me }) {
  const clinics = rolesOf(me).adminClinics;
  const [clinicId, setClinicId] = useState(clinics[0]?.clinicId ?? '');
  const [draft, setDraft] = useState<AuditFilters>(emptyAuditFilters);
  const [filters, setFilters] = useState<AuditFilters>(emptyAuditFilters);
  const [patient, setPatient] = useState<AuditPatient | null>(null);
  /** Whose events alone are shown: chosen by name from the Actor column (the log's own people, former staff included). */
  const [actor, setActor] = useState<ChosenActor | null>(null);
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [verification, setVerification] = useState<string | null>(null);
  const [verifying, setVerifying] = useState(false);

  const load = async (before: number | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await api.audit(clinicId, auditListParams(filters, before));
      setEvents((current) => (before === null ? page.events : [...current, ...page.events]));
      setNextBefore(page.nextBefore);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The audit log could not be loaded.');
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    if (clinicId) {
      void load(null);
    }
  }, [clinicId, filters]); // eslint-disable-line react-hooks/exhaustive-deps

  if (clinics.length === 0) {
    return <p>Only a clinic's Admins can read its audit log.</p>;
  }

  const verify = async () => {
    setVerifying(true);
    setVerification(null);
    try {
      setVerification(describeVerification(await api.verifyAudit(clinicId)));
    } catch (e) {
      setVerification(e instanceof ApiError ? `Verification failed: ${e.message}` : 'Verification failed.');
    } finally {
      setVerifying(false);
    }
  };

  // Picking a patient or a person applies the filters as the form shows them.
  const applyWith = (change: Partial<AuditFilters>) => {
    const next = { ...draft, ...change };
    setDraft(next);
    setFilters(next);
  };

  const choosePatient = (chosen: AuditPatient | null) => {
    setPatient(chosen);
    applyWith({ patientId: chosen?.id ?? '' });
  };

  // Choosing a person turns their name in the table into text, and "Clear person" goes with its person: the keyboard
  // goes on to "Clear person", and once cleared to the next filter, instead of falling to the page (found on a walk; the
  // patient filter does the same).
  const clearActor = useRef<HTMLButtonElement>(null);
  const actionFilter = useRef<HTMLSelectElement>(null);
  const focusAfterRender = useFocusAfterRender();
  const chooseActor = (chosen: ChosenActor | null) => {
    focusAfterRender(() => (chosen ? clearActor.current : actionFilter.current));
    setActor(chosen);
    applyWith({ actorId: chosen?.id ?? '' });
  };

  const field = (name: keyof AuditFilters) => ({
    value: draft[name],
    onInput: (e: Event) => setDraft({ ...draft, [name]: (e.currentTarget as HTMLInputElement | HTMLSelectElement).value }),
  });

  return (
    <section class="audit" aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      {/* An Admin without a chat role starts here: what their clinics still need comes first. */}
      {clinics.map((clinic) => (
        <SetupChecklist key={clinic.clinicId} clinic={clinic} myUserId={me.userId} />
      ))}
      <ClinicPicker
        clinics={clinics}
        value={clinicId}
        onChange={(chosen) => {
          // Another clinic's log: the chosen patient and person belong to this one.
          setPatient(null);
          setActor(null);
          applyWith({ patientId: '', actorId: '' });
          setClinicId(chosen);
        }}
      />
      <form
        class="audit-filters"
        aria-label="Filter audit events"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
        }}
      >
        <AuditPatientPicker clinicId={clinicId} selected={patient} onSelect={choosePatient} />
        {actor ? (
          <div class="audit-chosen">
            <span>
              Done by: <strong>{actor.name ?? actor.id}</strong>
            </span>
            <button type="button" ref={clearActor} onClick={() => chooseActor(null)}>
              Clear person
            </button>
          </div>
        ) : (
          <p class="audit-hint">Done by: anyone (choose a name in the table)</p>
        )}
        <label>
          Action
          <select ref={actionFilter} {...field('action')}>
            <option value="">Any action</option>
            {actionGroups.map((group) => (
              <optgroup key={group.label} label={group.label}>
                {group.actions.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" {...field('fromDate')} />
        </label>
        <label>
          To
          <input type="date" {...field('toDate')} />
        </label>
        <button type="submit">Apply filters</button>
      </form>
      <div class="audit-actions">
        <a class="button" href={auditExportUrl(clinicId, 'csv', filters)} download>
          Export CSV
        </a>
        <a class="button" href={auditExportUrl(clinicId, 'ndjson', filters)} download>
          Export FHIR NDJSON
        </a>
        <BusyButton onClick={() => void verify()} busy={verifying}>
          {verifying ? 'Verifying…' : 'Verify chain'}
        </BusyButton>
      </div>
      <p role="status" class="audit-verification">
        {verification}
      </p>
      <ErrorAlert message={error} />
      <div class="audit-table-scroll">
        <table class="audit-table">
          <caption>Audit events, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Time</th>
              <th scope="col">Action</th>
              <th scope="col">Actor</th>
              <th scope="col">Patient</th>
              <th scope="col">Conversation</th>
              <th scope="col">Outcome</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td class="nowrap">{e.id}</td>
                <td>
                  <time dateTime={e.occurredAt}>{new Date(e.occurredAt).toLocaleString()}</time>
                </td>
                <td class="nowrap">{e.action}</td>
                <td>
                  <Person name={e.actorName} id={e.actorId} onChoose={actor?.id === e.actorId ? undefined : () => chooseActor({ id: e.actorId, name: e.actorName })} />
                </td>
                <td>
                  {e.patientId && (
                    <Person
                      name={e.patientName}
                      id={e.patientId}
                      onChoose={patient?.id === e.patientId || e.patientName === null ? undefined : () => choosePatient({ id: e.patientId!, displayName: e.patientName! })}
                    />
                  )}
                </td>
                <td class="ids">{e.conversationId ?? ''}</td>
                <td class="nowrap">{e.outcome}</td>
                <td class="ids">{e.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!loading && events.length === 0 && !error && (
        <p>
          {filters.fromDate && filters.toDate && filters.fromDate > filters.toDate
            ? 'No events: the From date is after the To date.'
            : 'No events match these filters.'}
        </p>
      )}
      {nextBefore !== null && (
        <BusyButton onClick={() => void load(nextBefore)} busy={loading}>
          Load older
        </BusyButton>
      )}
    </section>
  );
}

interface ChosenActor {
  id: string;
  /** Null for someone outside the clinic, shown by id. */
  name: string | null;
}

/**
 * A name resolved by the server for the clinic's own people; anyone else by id, marked as outside the clinic. With
 * `onChoose`, the name (or id) is a button that shows only this person's events.
 */
function Person({ name, id, onChoose }: { name: string | null; id: string; onChoose?: () => void }) {
  const label = name ?? <code>{id}</code>;
  const shown = onChoose ? (
    <button type="button" class="link-button audit-person" title={`Show only their events (${id})`} onClick={onChoose}>
      {label}
    </button>
  ) : (
    label
  );
  return name !== null ? (
    <span title={onChoose ? undefined : id}>{shown}</span>
  ) : (
    <span>
      <span class="audit-outsider">Outside this clinic</span> {shown}
    </span>
  );
}
