import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { PaletteEntry, PaletteView } from '../logic/palette';
import { replyScope, textStart } from '../logic/quickReplies';
import { noRecordsText, recordListLabel, recordSearchTip, recordSummary } from '../logic/records';
import type { RecordList, ReplyList } from './useShortcutPalette';

interface Props {
  listId: string;
  optionId: (index: number) => string;
  view: Exclude<PaletteView, { stage: 'closed' }>;
  /** The records of the chosen command's kind (null until asked for). */
  listing: RecordList | null;
  /** The quick replies for the thread (null: the palette offers none). */
  replies: ReplyList | null;
  activeIndex: number;
  onActivate: (index: number) => void;
  onChoose: (index: number) => void;
}

/**
 * The "/" palette above the composer: a listbox named "Shortcuts" with the matching commands and then the
 * matching quick replies, then one named "Appointments" (etc.) with the records, or "Appointments matching “flu”"
 * while words typed after the command search them. Pressing the mouse keeps the focus in the textarea.
 */
export function ShortcutPalette({ listId, optionId, view, listing, replies, activeIndex, onActivate, onChoose }: Props) {
  const box = useRef<HTMLDivElement>(null);
  // The keyboard can move past the visible rows (a clinic may keep many replies): keep the active one in view. Only the
  // palette's own box scrolls (scrollIntoView would move the page too, on a phone the whole conversation).
  useEffect(() => {
    const palette = box.current;
    const active = document.getElementById(optionId(activeIndex));
    if (!palette || !active) {
      return;
    }
    if (active.offsetTop < palette.scrollTop) {
      palette.scrollTop = active.offsetTop;
    } else if (active.offsetTop + active.offsetHeight > palette.scrollTop + palette.clientHeight) {
      palette.scrollTop = active.offsetTop + active.offsetHeight - palette.clientHeight;
    }
  }, [activeIndex, view.stage]); // eslint-disable-line react-hooks/exhaustive-deps

  const option = (index: number, content: ComponentChildren, extraClass = '') => (
    <li
      key={optionId(index)}
      id={optionId(index)}
      role="option"
      aria-selected={index === activeIndex}
      class={`palette-option${extraClass}${index === activeIndex ? ' active' : ''}`}
      onMouseEnter={() => onActivate(index)}
      onClick={() => onChoose(index)}
    >
      {content}
    </li>
  );

  const entry = (item: PaletteEntry, index: number) =>
    item.kind === 'command'
      ? option(
          index,
          <>
            <span class="palette-command">{item.shortcut.command}</span> <span class="palette-hint">{item.shortcut.hint}</span>
          </>,
        )
      : option(
          index,
          <>
            <span class="palette-command">/{item.reply.shortcut}</span> <span class="palette-scope">{replyScope(item.reply)}</span>{' '}
            <span class="palette-hint">{textStart(item.reply.text)}</span>
          </>,
          ' palette-reply',
        );

  const kind = view.stage === 'records' ? view.shortcut.kind : null;
  const query = view.stage === 'records' ? view.query : '';
  const note = kind
    ? !listing || listing.state === 'loading'
      ? 'Loading…'
      : listing.state === 'failed'
        ? 'Could not load them. Press Escape and try again.'
        : listing.items.length === 0
          ? noRecordsText(kind, query)
          : ''
    : replies?.state === 'loading' && replies.items.length === 0
      ? 'Loading quick replies…'
      : replies?.state === 'failed'
        ? 'Quick replies could not be loaded. Type “/” again to retry.'
        : null;

  return (
    <div class="palette" ref={box} onMouseDown={(event) => event.preventDefault()}>
      <ul id={listId} role="listbox" aria-label={kind ? recordListLabel(kind, query) : 'Shortcuts'}>
        {view.stage === 'commands'
          ? view.entries.map(entry)
          : listing?.state === 'loaded' && listing.items.map((record, index) => option(index, recordSummary(record)))}
      </ul>
      {kind && !query && listing?.state === 'loaded' && listing.items.length > 0 && (
        <p class="palette-hint palette-tip">{recordSearchTip(kind, view.stage === 'records' ? view.shortcut.command : '')}</p>
      )}
      {note !== null && (
        <p class="palette-note" role="status">
          {note}
        </p>
      )}
    </div>
  );
}
