import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConnectionState } from '../logic/connection';
import { identifiers, patientsApi, type PatientFile } from '../patientsApi';
import { ConnectionStatus } from './ConnectionStatus';
import { PatientEditor } from './PatientEditor';
import { focusIsLost } from './useFocusAfterRender';

interface Props {
  title: string;
  clinicName: string | null;
  subtitle: string | null;
  connection: ConnectionState;
  onBack?: () => void;
  /**
   * Staff who may read the patient's file (those who chat at the clinic, its Admins): the thread's patient, whose date of
   * birth and MRN the header shows and whose details they may edit. Null for Billing staff, whom the server refuses.
   */
  patient?: { clinicId: string; patientId: string } | null;
  /** What the thread is about, as its reader calls it ("Billing", "Care team"), shown as a tag; null when it has no topic. */
  topic?: string | null;
  /**
   * The heading takes the keyboard when the thread opens if the focus was lost: on a phone the thread replaces the list,
   * and the link that opened it goes with the list (found on a walk: the focus fell to the page). Not for staff, whose
   * message box takes it.
   */
  focusIfLost?: boolean;
}

export function ThreadHeader({ title, clinicName, subtitle, connection, onBack, patient = null, topic = null, focusIfLost = false }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusIfLost && focusIsLost()) {
      heading.current?.focus();
    }
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- once, when the thread opens
  const [file, setFile] = useState<PatientFile | null>(null);
  const [editing, setEditing] = useState(false);
  const clinicId = patient?.clinicId;
  const patientId = patient?.patientId;

  useEffect(() => {
    setFile(null);
    if (!clinicId || !patientId) {
      return;
    }
    let current = true;
    // A refusal here (the patient was removed meanwhile) only means the header shows the name alone.
    patientsApi
      .get(clinicId, patientId)
      .then((loaded) => current && setFile(loaded))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [clinicId, patientId]);

  const shown = file ? identifiers(file) : null;
  return (
    <header class="thread-header">
      {onBack && (
        <button type="button" class="back" onClick={onBack} aria-label="Back to conversations">
          ←
        </button>
      )}
      <div>
        <h2 ref={heading} tabIndex={-1}>
          {file?.displayName ?? title}
        </h2>
        {shown && <p class="thread-patient">{shown}</p>}
        {file && !file.hasPortalAccount && (
          // A thread prepared for an invited patient: what is sent here waits for them until they activate.
          <p class="thread-patient">No portal account yet: messages wait in their Inbox until they activate it.</p>
        )}
        {clinicName && <p class="thread-clinic">{clinicName}</p>}
        {topic && (
          <p class="thread-topic">
            <span class="topic-tag">
              <span class="visually-hidden">Topic: </span>
              {topic}
            </span>
          </p>
        )}
        {subtitle && (
          <p class="presence" role="status">
            <span class="dot" aria-hidden="true" /> {subtitle}
          </p>
        )}
        <ConnectionStatus state={connection} />
      </div>
      {file && (
        <button type="button" class="link-button edit-patient" onClick={() => setEditing(true)}>
          Edit patient details
        </button>
      )}
      {editing && file && (
        <PatientEditor
          clinicId={file.clinicId}
          patientId={file.id}
          onClose={() => setEditing(false)}
          onSaved={(saved) => {
            setFile(saved);
            setEditing(false);
          }}
        />
      )}
    </header>
  );
}
