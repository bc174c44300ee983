import { addOpening, changeOpening, dayName, limits, removeOpening, weekdays, type OfficeHoursForm, type OfficeHoursHints } from '../logic/officeHours';
import type { Weekday } from '../types';
import { FieldError } from './FieldError';

interface Props {
  form: OfficeHoursForm;
  hints: OfficeHoursHints;
  /** The server's refusal of the week, in its words. */
  refused: string | null;
  /** A changed form, and the control to focus once it shows (a row added or removed). */
  onChange: (form: OfficeHoursForm, focusId?: string | null) => void;
}

/** The clinic's week, Monday first: each day closed, or one to three openings (opens and closes, the same day). */
export function WeekEditor({ form, hints, refused, onChange }: Props) {
  return (
    <fieldset id="office-hours-week" class="week-editor" tabIndex={-1} aria-describedby={refused ? 'office-hours-week-help office-hours-week-error' : 'office-hours-week-help'}>
      <legend>Opening hours</legend>
      <p id="office-hours-week-help" class="setting-help">
        In the clinic’s time zone, at most {limits.openingsPerDay} openings a day. Each opening ends the same day: use 23:59 for
        midnight.
      </p>
      {refused && (
        <p id="office-hours-week-error" class="field-error">
          {refused}
        </p>
      )}
      {weekdays.map((day) => (
        <DayEditor key={day} day={day} form={form} hints={hints} onChange={onChange} />
      ))}
    </fieldset>
  );
}

function DayEditor({ day, form, hints, onChange }: { day: Weekday; form: OfficeHoursForm; hints: OfficeHoursHints; onChange: Props['onChange'] }) {
  const rows = form.days[day];
  const name = dayName(day);
  const dayHint = hints.days.get(day) ?? null;
  const dayHintId = `day-${day}-error`;
  const add = () => {
    const added = addOpening(form, day);
    onChange(added.form, `opening-${added.key}-opens`);
  };
  return (
    <fieldset class="day-hours">
      <legend>{name}</legend>
      <div class="day-openings">
        {rows.length === 0 && <span class="day-closed">Closed</span>}
        {rows.map((row, i) => {
          const hint = hints.openings.get(row.key) ?? null;
          const hintId = `opening-${row.key}-error`;
          const invalid = hint !== null || dayHint !== null;
          const describedBy = [hint ? hintId : '', dayHint ? dayHintId : ''].filter(Boolean).join(' ') || undefined;
          return (
            <div key={row.key} class="opening-row" role="group" aria-label={`Opening ${i + 1}`}>
              <label>
                Opens
                <input
                  id={`opening-${row.key}-opens`}
                  type="time"
                  value={row.opens}
                  aria-invalid={invalid}
                  aria-describedby={describedBy}
                  onInput={(e) => onChange(changeOpening(form, day, row.key, { opens: e.currentTarget.value }))}
                />
              </label>
              <label>
                Closes
                <input
                  type="time"
                  value={row.closes}
                  aria-invalid={invalid}
                  aria-describedby={describedBy}
                  onInput={(e) => onChange(changeOpening(form, day, row.key, { closes: e.currentTarget.value }))}
                />
              </label>
              <button
                type="button"
                class="link-button"
                aria-label={`Remove ${name} opening ${i + 1}`}
                // The day's "Add opening" button is there after a removal (fewer than the most): focus goes on to it.
                onClick={() => onChange(removeOpening(form, day, row.key), `add-opening-${day}`)}
              >
                Remove
              </button>
              <FieldError id={hintId} message={hint} />
            </div>
          );
        })}
        <FieldError id={dayHintId} message={dayHint} />
        {rows.length < limits.openingsPerDay && (
          <button type="button" id={`add-opening-${day}`} class="add-opening" aria-label={`Add opening on ${name}`} onClick={add}>
            Add opening
          </button>
        )}
      </div>
    </fieldset>
  );
}
