import type { ComponentChildren } from 'preact';
import { noRecentText, recentLabel, recordSummary, type PaletteView } from '../logic/records';
import type { RecordList } from './useShortcutPalette';

interface Props {
  listId: string;
  optionId: (index: number) => string;
  view: Exclude<PaletteView, { stage: 'closed' }>;
  /** The records of the chosen command's kind (null until asked for). */
  listing: RecordList | null;
  activeIndex: number;
  onActivate: (index: number) => void;
  onChoose: (index: number) => void;
}

/**
 * The "/" palette above the composer: a listbox named "Shortcuts" with the matching commands, then
 * one named "Recent appointments" (etc.) with the records. Pressing the mouse keeps the focus in the textarea.
 */
export function ShortcutPalette({ listId, optionId, view, listing, activeIndex, onActivate, onChoose }: Props) {
  const option = (index: number, content: ComponentChildren) => (
    <li
      key={optionId(index)}
      id={optionId(index)}
      role="option"
      aria-selected={index === activeIndex}
      class={index === activeIndex ? 'palette-option active' : 'palette-option'}
      onMouseEnter={() => onActivate(index)}
      onClick={() => onChoose(index)}
    >
      {content}
    </li>
  );

  const kind = view.stage === 'records' ? view.shortcut.kind : null;
  const note = !kind
    ? null
    : !listing || listing.state === 'loading'
      ? 'Loading…'
      : listing.state === 'failed'
        ? 'Could not load them. Press Escape and try again.'
        : listing.items.length === 0
          ? noRecentText(kind)
          : '';

  return (
    <div class="palette" onMouseDown={(event) => event.preventDefault()}>
      <ul id={listId} role="listbox" aria-label={kind ? recentLabel(kind) : 'Shortcuts'}>
        {view.stage === 'commands'
          ? view.matches.map((shortcut, index) =>
              option(
                index,
                <>
                  <span class="palette-command">{shortcut.command}</span> <span class="palette-hint">{shortcut.hint}</span>
                </>,
              ),
            )
          : listing?.state === 'loaded' && listing.items.map((record, index) => option(index, recordSummary(record)))}
      </ul>
      {note !== null && (
        <p class="palette-note" role="status">
          {note}
        </p>
      )}
    </div>
  );
}
