import type { ComponentChildren } from 'preact';
import { useReducer, useRef, useState } from 'preact/hooks';

/** Keys that, on a closed select, step its value in Chromium (and fire `change` at every step): arrows, and letters. */
function stepsTheValue(event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey) {
    return false;
  }
  return ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown'].includes(event.key) || (event.key.length === 1 && event.key !== ' ');
}

/** Keys that open the select's list, where a choice is made deliberately (Enter or a click there saves it). */
function opensTheList(event: KeyboardEvent): boolean {
  return event.key === ' ' || event.key === 'F4' || (event.altKey && (event.key === 'ArrowDown' || event.key === 'ArrowUp'));
}

/**
 * A select whose choice is saved as soon as it is made, the way "Assigned to" and "Status" are. Picked with the mouse or
 * from the open list, the choice is saved at once. Stepped through with the arrow keys (or letters) on the closed select,
 * which changes the value and fires `change` at every key, it is saved only when the user settles: Enter, or leaving the
 * select; Escape goes back. Without this, arrowing down "Assigned to" assigned the thread to each colleague in turn, and
 * told each of them (found on a walk).
 *
 * While `busy` (the last choice is being saved) the select stays focusable, marked aria-disabled, and a change is undone.
 */
export function ChoiceSelect({
  value,
  busy,
  onChoose,
  control,
  children,
}: {
  value: string;
  busy: boolean;
  onChoose: (value: string) => void;
  /** Names the select for `[data-control]` lookups (focus after a neighbouring button goes away). */
  control: string;
  children: ComponentChildren;
}) {
  const [stepped, setStepped] = useState<string | null>(null);
  const byKeys = useRef(false);
  // A change refused while busy leaves the element showing it; a render puts the saved value back.
  const [, redraw] = useReducer((n: number) => n + 1, 0);

  const settle = (chosen: string | null) => {
    byKeys.current = false;
    setStepped(null);
    if (chosen !== null && chosen !== value) {
      onChoose(chosen);
    }
  };

  return (
    <>
      <select
        value={stepped ?? value}
        data-control={control}
        aria-disabled={busy || undefined}
        onMouseDown={() => {
          byKeys.current = false;
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && stepped !== null) {
            event.preventDefault();
            settle(stepped);
          } else if (event.key === 'Escape' && stepped !== null) {
            event.preventDefault();
            settle(null);
          } else if (stepsTheValue(event)) {
            byKeys.current = true;
          } else if (opensTheList(event)) {
            byKeys.current = false;
          }
        }}
        onChange={(event) => {
          const chosen = event.currentTarget.value;
          if (busy) {
            setStepped(null);
            redraw(0);
          } else if (byKeys.current) {
            setStepped(chosen === value ? null : chosen);
          } else {
            settle(chosen);
          }
        }}
        onBlur={() => stepped !== null && settle(busy ? null : stepped)}
      >
        {children}
      </select>
      {stepped !== null && <span class="choice-hint">Enter saves · Esc goes back</span>}
    </>
  );
}
