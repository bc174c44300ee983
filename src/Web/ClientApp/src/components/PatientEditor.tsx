import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { birthDate, patientsApi, type PatientFile, type PatientInput } from '../patientsApi';
import { ErrorAlert } from './ErrorAlert';
import { FieldError } from './FieldError';
import { BusyButton } from './BusyButton';
import { useModalDialog } from './useModalDialog';

interface Props {
  clinicId: string;
  /** The patient to edit; none to add one. */
  patientId?: string | null;
  /** Adding: a name typed in the search, split into given and family name. */
  initialName?: string;
  onSaved: (patient: PatientFile) => void;
  onClose: () => void;
}

type Field = 'givenName' | 'familyName' | 'birthDate' | 'email' | 'mobile' | 'mrn' | 'preferredLanguage' | 'smsConsent';

const empty = { givenName: '', familyName: '', birthDate: '', email: '', mobile: '', mrn: '', preferredLanguage: '' };

function fromFile(file: PatientFile): typeof empty {
  return {
    givenName: file.givenName,
    familyName: file.familyName,
    birthDate: file.birthDate ?? '',
    email: file.email ?? '',
    // As people read it ("+44 7911 123456"): sent back unchanged, it is read as the same number.
    mobile: file.mobileDisplay ?? file.mobile ?? '',
    mrn: file.mrn ?? '',
    preferredLanguage: file.preferredLanguage ?? '',
  };
}

function fromName(name: string | undefined): typeof empty {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  return { ...empty, givenName: words.slice(0, -1).join(' ') || (words[0] ?? ''), familyName: words.length > 1 ? words[words.length - 1]! : '' };
}

/**
 * "Add patient" and "Edit patient details": the server checks every field and answers with every field it refused,
 * each message beside its field (the first wrong one takes the focus); a duplicate (same MRN, or same name and date of birth) offers the patient the clinic has.
 */
export function PatientEditor({ clinicId, patientId = null, initialName, onSaved, onClose }: Props) {
  const dialog = useModalDialog();
  const [editing, setEditing] = useState<string | null>(patientId);
  const [values, setValues] = useState(() => fromName(initialName));
  const [smsConsent, setSmsConsent] = useState(false);
  const [consentAt, setConsentAt] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [existing, setExisting] = useState<PatientFile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);


  useEffect(() => {
    if (!editing) {
      return;
    }
    let current = true;
    patientsApi
      .get(clinicId, editing)
      .then((file) => {
        if (current) {
          setValues(fromFile(file));
          setConsentAt(file.smsConsentAt ?? null);
          setSmsConsent(false);
        }
      })
      .catch(() => current && setError('Could not load the patient.'));
    return () => {
      current = false;
    };
  }, [clinicId, editing]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setFieldErrors({});
    setExisting(null);
    setError(null);
    setSaving(true);
    const input: PatientInput = {
      ...values,
      email: values.email || null,
      mobile: values.mobile || null,
      mrn: values.mrn || null,
      preferredLanguage: values.preferredLanguage || null,
      smsConsent: smsConsent || null,
    };
    try {
      const saved = editing ? await patientsApi.update(clinicId, editing, input) : await patientsApi.add(clinicId, input);
      onSaved(saved);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'validation_failed' && caught.field) {
        const refused: Partial<Record<Field, string>> = { ...(caught.fieldErrors ?? { [caught.field]: caught.message }) };
        if (refused.birthDate && values.birthDate === '') {
          // The server asks API callers for "a date (yyyy-mm-dd)"; here the field is a date picker that shows the
          // browser's own order (dd/mm/yyyy, mm/dd/yyyy), left empty or half filled (found on a walk).
          refused.birthDate = 'Enter the date of birth: day, month and year.';
        }
        setFieldErrors(refused);
        document.getElementById(`patient-editor-${caught.field}`)?.focus();
      } else if (caught instanceof ApiError && caught.code === 'duplicate_patient' && caught.existingPatientId) {
        // Said beside the field that matched (the MRN, or the date of birth for the same name), like any refused field.
        const field = caught.field === 'mrn' ? 'mrn' : 'birthDate';
        setFieldErrors({ [field]: caught.message });
        setExisting(await patientsApi.get(clinicId, caught.existingPatientId).catch(() => null));
        document.getElementById(`patient-editor-${field}`)?.focus();
      } else {
        setError(caught instanceof ApiError ? caught.message : 'Could not save the patient.');
      }
    } finally {
      setSaving(false);
    }
  };

  const input = (field: Exclude<Field, 'smsConsent'>, label: string, type = 'text', extra: Record<string, unknown> = {}) => {
    const message = fieldErrors[field];
    return (
      <label class="field">
        {label}
        <input
          id={`patient-editor-${field}`}
          type={type}
          value={values[field]}
          aria-invalid={message !== undefined}
          aria-describedby={message !== undefined ? `patient-editor-${field}-error` : undefined}
          onInput={(e) => setValues({ ...values, [field]: e.currentTarget.value })}
          {...extra}
        />
        <FieldError id={`patient-editor-${field}-error`} message={message} />
      </label>
    );
  };

  const title = editing ? 'Edit patient details' : 'Add patient';
  return (
    <dialog ref={dialog} class="dialog patient-editor" aria-labelledby="patient-editor-title" onCancel={onClose} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <h2 id="patient-editor-title">{title}</h2>
        {input('givenName', 'Given name', 'text', { required: true, autoComplete: 'off', maxLength: 100 })}
        {input('familyName', 'Family name', 'text', { required: true, autoComplete: 'off', maxLength: 100 })}
        {input('birthDate', 'Date of birth', 'date', { required: true })}
        {input('mobile', 'Mobile number', 'tel', { autoComplete: 'off' })}
        {input('email', 'Email', 'email', { autoComplete: 'off' })}
        {input('mrn', 'MRN (optional)', 'text', { maxLength: 32 })}
        {input('preferredLanguage', 'Preferred language (e.g. en, es-MX)', 'text', { maxLength: 35 })}
        {consentAt ? (
          <p class="patient-hint">SMS consent recorded {birthDate(consentAt.slice(0, 10))}.</p>
        ) : (
          <label class="checkbox">
            <input
              id="patient-editor-smsConsent"
              type="checkbox"
              checked={smsConsent}
              aria-invalid={fieldErrors.smsConsent !== undefined}
              onChange={(e) => setSmsConsent(e.currentTarget.checked)}
            />{' '}
            The patient agrees to text messages at this mobile number
            {fieldErrors.smsConsent && <span class="field-error"> {fieldErrors.smsConsent}</span>}
          </label>
        )}
        <ErrorAlert message={error} />
        {existing && (
          <p class="duplicate">
            This patient exists already —{' '}
            <button
              type="button"
              class="link-button"
              onClick={() => {
                setError(null);
                setFieldErrors({});
                setExisting(null);
                setEditing(existing.id);
              }}
            >
              open {existing.displayName}
              {existing.birthDate ? `, born ${birthDate(existing.birthDate)}` : ''}
            </button>
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <BusyButton type="submit" class="primary" busy={saving}>
            {editing ? 'Save changes' : 'Add patient'}
          </BusyButton>
        </div>
      </form>
    </dialog>
  );
}
