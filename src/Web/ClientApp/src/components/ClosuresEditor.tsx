import { addClosure, changeClosure, isoDay, removeClosure, type OfficeHoursForm, type OfficeHoursHints } from '../logic/officeHours';
import { FieldError } from './FieldError';

interface Props {
  form: OfficeHoursForm;
  hints: OfficeHoursHints;
  /** About the list as a whole: too many closures, or the server's refusal of them. */
  refused: string | null;
  onChange: (form: OfficeHoursForm, focusId?: string | null) => void;
}

/** Days the clinic is closed whatever its week says (holidays, a training day): first and last day, and a label. */
export function ClosuresEditor({ form, hints, refused, onChange }: Props) {
  const add = () => {
    const added = addClosure(form, isoDay(new Date()));
    onChange(added.form, `closure-${added.key}-from`);
  };
  return (
    <fieldset
      id="office-hours-closures"
      class="closures-editor"
      tabIndex={-1}
      aria-describedby={refused ? 'office-hours-closures-help office-hours-closures-error' : 'office-hours-closures-help'}
    >
      <legend>Closures</legend>
      <p id="office-hours-closures-help" class="setting-help">
        Days the clinic is closed whatever the week says, such as holidays; both days included. Patients see the label.
      </p>
      {refused && (
        <p id="office-hours-closures-error" class="field-error">
          {refused}
        </p>
      )}
      {form.closures.length === 0 && <p class="empty">No closures.</p>}
      {form.closures.map((row, i) => {
        const hint = hints.closures.get(row.key) ?? null;
        const hintId = `closure-${row.key}-error`;
        // The note describes the part it is about: both dates, or the label.
        const marked = (part: 'dates' | 'label') => ({ 'aria-invalid': hint?.part === part, 'aria-describedby': hint?.part === part ? hintId : undefined });
        return (
          <div key={row.key} class="closure-row" role="group" aria-label={`Closure ${i + 1}`}>
            <label>
              From
              <input id={`closure-${row.key}-from`} type="date" value={row.from} {...marked('dates')} onInput={(e) => onChange(changeClosure(form, row.key, { from: e.currentTarget.value }))} />
            </label>
            <label>
              To
              <input type="date" value={row.to} {...marked('dates')} onInput={(e) => onChange(changeClosure(form, row.key, { to: e.currentTarget.value }))} />
            </label>
            <label class="closure-label">
              Label
              <input type="text" value={row.label} {...marked('label')} onInput={(e) => onChange(changeClosure(form, row.key, { label: e.currentTarget.value }))} />
            </label>
            <button type="button" class="link-button" aria-label={`Remove closure ${i + 1}`} onClick={() => onChange(removeClosure(form, row.key), 'add-closure')}>
              Remove
            </button>
            <FieldError id={hintId} message={hint?.message} />
          </div>
        );
      })}
      <button type="button" id="add-closure" onClick={add}>
        Add closure
      </button>
    </fieldset>
  );
}
