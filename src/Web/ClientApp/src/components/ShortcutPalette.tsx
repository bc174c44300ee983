import type { ComponentChildren } from 'preact';
import { noRecordsText, recordListLabel, recordSummary, type PaletteView } from '../logic/records';
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
 * one named "Appointments" (etc.) with the records, or "Appointments matching “flu”" while words typed after the
 * command search them. Pressing the mouse keeps the focus in the textarea.
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
  const query = view.stage === 'records' ? view.query : '';
  const note = !kind
    ? null
    : !listing || listing.state === 'loading'
      ? 'Loading…'
      : listing.state === 'failed'
        ? 'Could not load them. Press Escape and try again.'
        : listing.items.length === 0
          ? noRecordsText(kind, query)
          : '';

  return (
    <div class="palette" onMouseDown={(event) => event.preventDefault()}>
      <ul id={listId} role="listbox" aria-label={kind ? recordListLabel(kind, query) : 'Shortcuts'}>
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
      {kind && !query && listing?.state === 'loaded' && listing.items.length > 0 && (
        <p class="palette-hint palette-tip">Type after the command to search, e.g. “{view.stage === 'records' ? view.shortcut.command : ''} flu”.</p>
      )}
      {note !== null && (
        <p class="palette-note" role="status">
          {note}
        </p>
      )}
    </div>
  );
}
