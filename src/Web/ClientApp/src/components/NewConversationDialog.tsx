import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import type { Patient } from '../types';
import { identifiers } from '../patientsApi';
import { ClinicPicker } from './ClinicPicker';
import { ErrorAlert } from './ErrorAlert';
import { PatientEditor } from './PatientEditor';
import { PortalInvitePanel } from './PortalInvitePanel';
import { useFocusAfterRender } from './useFocusAfterRender';
import { useModalDialog } from './useModalDialog';

/** The longest name search the server takes (NameSearch.MaxQueryLength). */
const maxSearchLength = 100;

interface Props {
  /** The clinics the user chats for; with more than one, the dialog asks which. */
  clinics: { clinicId: string; clinicName: string }[];
  onClose: () => void;
  onStarted: (conversationId: string) => void;
}

/** Results shown at once; one more is asked for, to know whether to say that more match. */
const shownResults = 20;

/** "+ New conversation": search the clinic's patients (debounced, arrow keys + Enter), then open or start the thread. */
export function NewConversationDialog({ clinics, onClose, onStarted }: Props) {
  const dialog = useModalDialog();
  const [clinicId, setClinicId] = useState(clinics[0]?.clinicId);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Patient[]>([]);
  const [active, setActive] = useState(0);
  const [more, setMore] = useState(false);
  const [smsFor, setSmsFor] = useState<Patient | null>(null);
  const [optedOut, setOptedOut] = useState<Patient | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  /** A patient whose details are open from the invite panel (to add a contact or record SMS consent). */
  const [editing, setEditing] = useState<string | null>(null);
  const [searched, setSearched] = useState(false);
  /** Bumped to search again for the same text (a patient was just added under the name searched for). */
  const [searchRound, setSearchRound] = useState(0);
  /**
   * The patient whose invite panel was open when their details were edited: it opens again, with what was just saved,
   * when the search that follows the save finds them (a click on the stale row before that was undone by the search).
   */
  const [reopenFor, setReopenFor] = useState<string | null>(null);
  /**
   * After a save, where the keyboard goes once the search that follows has answered: the details dialog closed and the
   * browser put the focus back on the button that opened it, which that search takes away with the invite panel (the
   * focus then fell out of this modal dialog, found on a walk). It lands on the reopened panel's first action, or on the
   * search when the panel does not reopen.
   */
  const landAfterSearch = useRef(false);
  /** Bumped each time the invite panel is to take the keyboard; the panel shown for a search's results leaves it be. */
  const [panelFocus, setPanelFocus] = useState(0);
  const search = useRef<HTMLInputElement>(null);
  // A chosen patient who cannot be chatted with is explained where the results end, and a click on an option (not a
  // control) left the keyboard on the dialog itself: it goes to what can be done, or to why nothing can.
  const focusAfterRender = useFocusAfterRender();
  const optedOutNote = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    // A note about one patient must not stay beside a new search's results.
    setSmsFor(null);
    setPanelFocus(0);
    setOptedOut(null);
    let current = true;
    const timer = window.setTimeout(() => {
      api
        .searchPatients(query.trim(), shownResults + 1, clinicId)
        .then((patients) => {
          // Only the latest query's answer counts, whatever order the answers arrive in.
          if (current) {
            setResults(patients.slice(0, shownResults));
            setMore(patients.length > shownResults);
            setActive(0);
            setSearched(true);
            const edited = reopenFor ? patients.find((p) => p.id === reopenFor && !p.hasPortalAccount) : undefined;
            if (edited) {
              setSmsFor(edited);
            }
            if (landAfterSearch.current) {
              landAfterSearch.current = false;
              if (edited) {
                setPanelFocus((request) => request + 1);
              } else {
                search.current?.focus();
              }
            }
            setReopenFor(null);
          }
        })
        .catch(() => current && setError('Search failed. Try again.'));
    }, 200);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [query, clinicId, searchRound]);

  // Arrow keys move the active option; the dialog scrolls it into view.
  const activeId = results[active]?.id;
  useEffect(() => {
    if (activeId) {
      document.getElementById(`patient-${activeId}`)?.scrollIntoView({ block: 'nearest' });
    }
  }, [activeId]);

  const start = async (patient: Patient) => {
    setError(null);
    setSmsFor(null);
    setOptedOut(null);
    if (!patient.hasPortalAccount) {
      setSmsFor(patient);
      setPanelFocus((request) => request + 1);
      return;
    }
    if (!patient.chatOptIn) {
      setOptedOut(patient);
      focusAfterRender(() => optedOutNote.current);
      return;
    }
    try {
      const conversation = await api.startConversation(patient.id, clinicId);
      onStarted(conversation.id);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'Could not start the conversation.');
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (results.length === 0 ? 0 : (current + step + results.length) % results.length));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const patient = results[active];
      if (patient) {
        void start(patient);
      }
    }
  };

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="new-conversation-title" onCancel={onClose} onClose={onClose}>
      <h2 id="new-conversation-title">New conversation</h2>
      <ClinicPicker clinics={clinics} value={clinicId} onChange={setClinicId} layout="stacked" />
      <input
        ref={search}
        type="search"
        aria-label="Search patients"
        placeholder="Patient name"
        autoFocus
        aria-controls="patient-results"
        aria-activedescendant={results[active] ? `patient-${results[active]!.id}` : undefined}
        maxLength={maxSearchLength}
        value={query}
        onInput={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <ul id="patient-results" role="listbox" aria-label="Patients" class="patient-results">
        {results.map((patient, index) => {
          const status = !patient.hasPortalAccount ? 'No portal account — choose to invite them' : !patient.chatOptIn ? 'Opted out of chat' : null;
          return (
            <li
              key={patient.id}
              id={`patient-${patient.id}`}
              role="option"
              aria-selected={index === active}
              aria-disabled={patient.hasPortalAccount && !patient.chatOptIn}
              class={index === active ? 'patient active' : 'patient'}
              onMouseEnter={() => setActive(index)}
              onClick={() => void start(patient)}
            >
              <span class="patient-name">
                {patient.displayName}
                {identifiers(patient) && <span class="patient-hint"> · {identifiers(patient)}</span>}
                {patient.hint && <span class="patient-hint"> · {patient.hint}</span>}
              </span>
              {status && <span class="patient-status">{status}</span>}
              {!status && patient.hasConversation && <span class="patient-status">Has a conversation — open it</span>}
            </li>
          );
        })}
      </ul>
      {more && (
        <p class="search-more" role="status">
          Showing the first {shownResults} patients who match — type more of the name to find others.
        </p>
      )}
      {optedOut && (
        // Not a live region: the note takes the focus, which reads it once.
        <div class="sms-offer">
          <p ref={optedOutNote} tabIndex={-1}>
            <strong>{optedOut.displayName}</strong> has turned chat off, so no conversation can be started. Reach them by phone or by
            letter; they can turn chat back on in the portal's settings.
          </p>
        </div>
      )}
      {smsFor && clinicId && (
        <PortalInvitePanel clinicId={clinicId} patient={smsFor} onStarted={onStarted} onEdit={() => setEditing(smsFor.id)} focusRequest={panelFocus} />
      )}
      {searched && query.trim() !== '' && results.length === 0 && (
        <p class="search-more" role="status">
          No patient of this clinic matches “{query.trim()}”.
        </p>
      )}
      <ErrorAlert message={error} />
      <div class="dialog-actions new-patient-actions">
        <button type="button" onClick={() => setAdding(true)}>
          Add patient
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {(adding || editing) && clinicId && (
        <PatientEditor
          clinicId={clinicId}
          patientId={editing}
          // What was typed, whether or not its search has answered yet (found in CI: a name typed and Add patient pressed at
          // once opened an empty form, the list still showing the previous search's patients).
          initialName={editing ? undefined : query}
          onClose={() => {
            setAdding(false);
            setEditing(null);
          }}
          onSaved={(patient) => {
            setReopenFor(editing);
            landAfterSearch.current = true;
            setAdding(false);
            setEditing(null);
            // The new (or edited) patient is found by their name, with the date of birth beside it.
            // A name longer than a search may be (given and family name, 100 characters each) is searched by its start.
            setQuery(patient.displayName.slice(0, maxSearchLength));
            setSearchRound((round) => round + 1);
          }}
        />
      )}
    </dialog>
  );
}
