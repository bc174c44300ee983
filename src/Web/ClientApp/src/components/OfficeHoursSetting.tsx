import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { hoursNotice } from '../logic/hoursNotice';
import {
  formOf,
  hasHints,
  hintsOf,
  officeHoursRefusal,
  refusalStands,
  requestOf,
  timeZoneSuggestions,
  type OfficeHoursField,
  type OfficeHoursForm,
  type OfficeHoursRefusal,
} from '../logic/officeHours';
import type { OfficeHours } from '../types';
import { ClosuresEditor } from './ClosuresEditor';
import { ErrorAlert } from './ErrorAlert';
import { FieldError } from './FieldError';
import { WeekEditor } from './WeekEditor';
import { BusyButton } from './BusyButton';
import { useFocusAfterRender } from './useFocusAfterRender';

/** Where each field the server may name lives, to take focus when it is refused. */
const fieldIds: Record<OfficeHoursField, string> = {
  timeZone: 'office-hours-zone',
  weekly: 'office-hours-week',
  closures: 'office-hours-closures',
  afterHoursReply: 'office-hours-reply',
  emergencyNote: 'office-hours-emergency',
  replyTargetMinutes: 'office-hours-reply-target',
};

/**
 * An Admin's office hours for one clinic, saved all at once: the time zone, the week, closures, the automatic reply a
 * patient gets while the clinic is closed, the emergency note patients see by the message box, and the reply target the
 * staff's lists call "Overdue" past. Hints beside the fields say what the server would refuse before it is asked; its own
 * refusal shows beside the field it names. onSaved: the server took the hours (what depends on them may read again).
 */
export function OfficeHoursSetting({ clinicId, onSaved }: { clinicId: string; onSaved?: (hours: OfficeHours) => void }) {
  /** The server's last answer: what patients see now. */
  const [saved, setSaved] = useState<OfficeHours | null>(null);
  const [form, setForm] = useState<OfficeHoursForm | null>(null);
  const [refusal, setRefusal] = useState<OfficeHoursRefusal | null>(null);
  const [status, setStatus] = useState('');
  const [saving, setSaving] = useState(false);
  /** Save was pressed while hints stood: said above the button until they are all resolved. */
  const [heldBack, setHeldBack] = useState(false);
  /** A control to focus once the form has rendered (a row just added, the button after a row removed, a refused field). */
  const focusAfterRender = useFocusAfterRender();
  const focusById = (id: string) => focusAfterRender(() => document.getElementById(id));
  const formRef = useRef<HTMLFormElement>(null);
  const zones = useMemo(() => timeZoneSuggestions(), []);

  useEffect(() => {
    let current = true;
    api.officeHours(clinicId).then(
      (hours) => {
        if (current) {
          setSaved(hours);
          setForm(formOf(hours));
        }
      },
      (caught: unknown) => current && setRefusal(officeHoursRefusal(caught, 'The office hours could not be loaded.')),
    );
    return () => {
      current = false;
    };
  }, [clinicId]);

  if (!form) {
    return (
      <section class="office-hours">
        <h2 id="office-hours-title">Office hours</h2>
        {refusal ? <ErrorAlert message={refusal.message} /> : <p class="loading">Loading…</p>}
      </section>
    );
  }

  const hints = hintsOf(form);
  const edit = (next: OfficeHoursForm, focus: string | null = null) => {
    if (refusal && !refusalStands(refusal, form, next)) {
      setRefusal(null);
    }
    setForm(next);
    // What shows is no longer what was saved.
    setStatus('');
    if (focus) {
      focusById(focus);
    }
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setStatus('');
    if (hasHints(hints)) {
      setHeldBack(true);
      // The first field marked; too many closures marks no field but their list.
      (formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? document.getElementById(fieldIds.closures))?.focus();
      return;
    }
    setHeldBack(false);
    setSaving(true);
    setRefusal(null);
    try {
      const answer = await api.setOfficeHours(clinicId, requestOf(form));
      setSaved(answer);
      setForm(formOf(answer));
      setStatus('Office hours saved.');
      onSaved?.(answer);
    } catch (caught) {
      const refused = officeHoursRefusal(caught, 'The office hours could not be saved. Try again.');
      setRefusal(refused);
      if (refused.field) {
        focusById(fieldIds[refused.field]);
      }
    } finally {
      setSaving(false);
    }
  };

  /** A field's note: the hint while the form has one, else the server's refusal of it. */
  const noteFor = (field: OfficeHoursField, hint: string | null) => hint ?? (refusal?.field === field ? refusal.message : null);
  const zoneNote = noteFor('timeZone', hints.timeZone);
  const replyNote = noteFor('afterHoursReply', hints.afterHoursReply);
  const emergencyNote = noteFor('emergencyNote', hints.emergencyNote);
  const targetNote = noteFor('replyTargetMinutes', hints.replyTarget);
  const patientsRead = saved ? hoursNotice(saved, new Date())?.state : null;

  return (
    <section class="office-hours">
      <h2 id="office-hours-title">Office hours</h2>
      <p class="setting-help">
        Patients see the hours and the emergency note above their message box.
        {patientsRead && ` Now they read: “${patientsRead}”`}
      </p>
      <form ref={formRef} class="office-hours-form" aria-labelledby="office-hours-title" onSubmit={(e) => void save(e)} noValidate>
        <div class="field">
          <label for="office-hours-zone">Time zone</label>
          <input
            id="office-hours-zone"
            type="text"
            list="office-hours-zones"
            autocomplete="off"
            spellcheck={false}
            value={form.timeZone}
            aria-invalid={zoneNote !== null}
            aria-describedby={zoneNote ? 'office-hours-zone-help office-hours-zone-error' : 'office-hours-zone-help'}
            onInput={(e) => edit({ ...form, timeZone: e.currentTarget.value })}
          />
          <datalist id="office-hours-zones">
            {zones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          <FieldError id="office-hours-zone-error" message={zoneNote} />
          <span id="office-hours-zone-help" class="setting-help">
            An IANA time zone, such as Europe/Berlin or America/New_York. The hours are in it, and text-message notices keep
            their quiet hours in it too.
          </span>
        </div>
        <WeekEditor form={form} hints={hints} refused={refusal?.field === 'weekly' ? refusal.message : null} onChange={edit} />
        <ClosuresEditor
          form={form}
          hints={hints}
          refused={hints.closureCount ?? (refusal?.field === 'closures' ? refusal.message : null)}
          onChange={edit}
        />
        <div class="field">
          <label for="office-hours-reply">Automatic reply when closed</label>
          <textarea
            id="office-hours-reply"
            rows={3}
            value={form.afterHoursReply}
            aria-invalid={replyNote !== null}
            aria-describedby={replyNote ? 'office-hours-reply-help office-hours-reply-error' : 'office-hours-reply-help'}
            onInput={(e) => edit({ ...form, afterHoursReply: e.currentTarget.value })}
          />
          <FieldError id="office-hours-reply-error" message={replyNote} />
          <span id="office-hours-reply-help" class="setting-help">
            Sent once per conversation each time the clinic is closed, when a patient writes; it says it is automatic. Leave it
            empty for none.
          </span>
        </div>
        <div class="field">
          <label for="office-hours-emergency">Emergency note</label>
          <textarea
            id="office-hours-emergency"
            rows={2}
            value={form.emergencyNote}
            aria-invalid={emergencyNote !== null}
            aria-describedby={emergencyNote ? 'office-hours-emergency-help office-hours-emergency-error' : 'office-hours-emergency-help'}
            onInput={(e) => edit({ ...form, emergencyNote: e.currentTarget.value })}
          />
          <FieldError id="office-hours-emergency-error" message={emergencyNote} />
          <span id="office-hours-emergency-help" class="setting-help">
            Shown to patients above the message box, open or closed, such as “Not for emergencies: call 112.” Leave it empty for
            none.
          </span>
        </div>
        <div class="field reply-target">
          <label for="office-hours-reply-target">Reply target (office hours)</label>
          <input
            id="office-hours-reply-target"
            type="number"
            inputMode="decimal"
            min={0.25}
            max={120}
            step={0.25}
            value={form.replyTargetHours}
            aria-invalid={targetNote !== null}
            aria-describedby={targetNote ? 'office-hours-reply-target-help office-hours-reply-target-error' : 'office-hours-reply-target-help'}
            onInput={(e) => edit({ ...form, replyTargetHours: e.currentTarget.value })}
          />
          <FieldError id="office-hours-reply-target-error" message={targetNote} />
          <span id="office-hours-reply-target-help" class="setting-help">
            How long a patient should wait at most for a person’s answer, counted only while the clinic is open (weekdays
            08:00–18:00 when no hours are set); 8 is a working day. Staff see a conversation waiting longer as “Overdue”.
          </span>
          <label class="checkbox">
            <input
              type="checkbox"
              checked={form.emailWhenOverdue}
              aria-describedby="office-hours-overdue-help"
              onChange={(e) => edit({ ...form, emailWhenOverdue: e.currentTarget.checked })}
            />{' '}
            Email the team when a conversation is overdue
          </label>
          <span id="office-hours-overdue-help" class="setting-help">
            Once per wait, to the conversation’s assignee; when nobody has it, to the team its topic is for (front desk for
            appointments, clinicians for the care team, Billing for billing, both desks otherwise). The email says only that a
            patient is waiting, with a link.
          </span>
        </div>
        <ErrorAlert
          message={
            heldBack && hasHints(hints)
              ? 'Some fields need a change before the hours can be saved: see the notes beside them.'
              : refusal && !refusal.field
                ? refusal.message
                : null
          }
        />
        <div class="staff-actions">
          <BusyButton type="submit" busy={saving}>
            Save office hours
          </BusyButton>
        </div>
        <p role="status" class="staff-status">
          {status}
        </p>
      </form>
    </section>
  );
}
