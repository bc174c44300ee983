import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import type { AuditPatient } from '../types';
import { useFocusAfterRender } from './useFocusAfterRender';

/**
 * The audit page's patient filter: find one of the clinic's patients by name (the log's rows only
 * carry ids, and the UI never shows a patient id anywhere else).
 */
export function AuditPatientPicker({
  clinicId,
  selected,
  onSelect,
}: {
  clinicId: string;
  selected: AuditPatient | null;
  onSelect: (patient: AuditPatient | null) => void;
}) {
  const [search, setSearch] = useState('');
  const [results, setResults] = useState<AuditPatient[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Choosing a patient replaces the search with "Clear patient", and clearing brings the search back: the keyboard goes
  // along to what took the place of the button pressed, instead of falling to the page (found on a walk).
  const input = useRef<HTMLInputElement>(null);
  const clear = useRef<HTMLButtonElement>(null);
  const focusAfterRender = useFocusAfterRender();
  const choose = (patient: AuditPatient | null) => {
    focusAfterRender(() => (patient ? clear.current : input.current));
    onSelect(patient);
  };

  useEffect(() => {
    const text = search.trim();
    if (text === '') {
      setResults(null);
      return;
    }

    // Waits for a pause in typing: one search per name, not one per key.
    let current = true;
    const timer = window.setTimeout(() => {
      api.auditPatients(clinicId, text).then(
        (found) => current && (setResults(found), setError(null)),
        (e) => current && setError(e instanceof ApiError ? e.message : 'Patient search failed.'),
      );
    }, 250);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [clinicId, search]);

  if (selected) {
    return (
      <div class="audit-chosen">
        <span>
          Patient: <strong>{selected.displayName}</strong>
        </span>
        <button type="button" ref={clear} onClick={() => choose(null)}>
          Clear patient
        </button>
      </div>
    );
  }

  return (
    <div class="audit-patient-picker">
      <label>
        Patient
        <input ref={input} type="search" placeholder="Search by name" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
      </label>
      {error && <p role="alert">{error}</p>}
      {results && (
        <ul aria-label="Matching patients">
          {results.length === 0 && <li>No patient of this clinic has that name.</li>}
          {results.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                onClick={() => {
                  setSearch('');
                  choose(p);
                }}
              >
                {p.displayName}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
