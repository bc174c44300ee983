import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { notSavedText } from '../logic/connection';
import { keepDraftOf, noteDraftKey, readDraftOf } from '../logic/drafts';
import { insertMention, mentionCandidates, mentionQuery, mentionsIn } from '../logic/mentions';
import { colleaguesFor } from '../logic/topics';
import type { Colleague, Me, StaffItem, Topic } from '../types';
import { colleaguesOf } from './colleagues';
import { ErrorAlert } from './ErrorAlert';
import { BusyButton } from './BusyButton';

/** What logic/drafts keeps of a note being written. */
interface NoteDraft {
  text: string;
  mentioned: Colleague[];
  clientNoteId: string;
}

interface Props {
  me: Me;
  conversationId: string;
  clinicId: string;
  /** The thread's topic: its Billing staff can be mentioned in a thread about billing only. */
  topic: Topic | null;
  /** Shown instead of the message box: the note box takes the keyboard each time it is shown. */
  shown: boolean;
  /** Escape: back to the message (the note stays as written). */
  onLeave: () => void;
  /** The stored note: the thread shows it at once (its push may come later, or first: both merge by item seq). */
  onStored: (note: StaffItem) => void;
}

/**
 * An internal note for colleagues: only the clinic's staff ever see it. "@" offers the colleagues who take part in the
 * thread (its clinicians and front desk, and in a thread about billing its Billing staff; arrows and Enter or Tab pick
 * one); each one mentioned is told. Enter adds the note, Shift+Enter starts a new line, Escape goes back to the message.
 */
export function NoteComposer({ me, conversationId, clinicId, topic, shown, onLeave, onStored }: Props) {
  // A half-written note outlives a look at another thread or a reload, as the message draft does (logic/drafts), with the
  // colleagues it mentions: restored as text alone, "@Frank Foster" would no longer tell Frank (found on a walk).
  const draftKey = noteDraftKey(me.userId, conversationId);
  const [restored] = useState(() => readDraftOf<NoteDraft>(window.sessionStorage, draftKey));
  const [text, setText] = useState(restored?.text ?? '');
  const [colleagues, setColleagues] = useState<Colleague[]>([]);
  const [chosen, setChosen] = useState<Colleague[]>(restored?.mentioned ?? []);
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  // Kept until the note is stored: a retry after a lost answer is the same note, not a second one.
  const clientNoteId = useRef(restored?.clientNoteId ?? crypto.randomUUID());
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    let current = true;
    colleaguesOf(clinicId).then((list) => current && setColleagues(list.filter((c) => c.userId !== me.userId)), () => undefined);
    return () => {
      current = false;
    };
  }, [clinicId, me.userId]);

  useLayoutEffect(() => {
    keepDraftOf<NoteDraft>(window.sessionStorage, draftKey, { text, mentioned: chosen, clientNoteId: clientNoteId.current });
  }, [draftKey, text, chosen]);

  useEffect(() => {
    if (shown) {
      input.current?.focus();
    }
  }, [shown]);

  const query = dismissed ? null : mentionQuery(text, caret);
  const candidates = query ? mentionCandidates(colleaguesFor(colleagues, topic), query.query) : [];
  const open = candidates.length > 0;

  const pick = (colleague: Colleague) => {
    if (!query) {
      return;
    }
    const next = insertMention(text, query, colleague);
    // The field and its caret change now, in this event: set after the next render or frame, a key typed in between
    // landed after the mention and the caret then jumped back before it ("@Frank Foster odayt" for "today").
    if (input.current) {
      input.current.value = next.text;
      input.current.setSelectionRange(next.caret, next.caret);
    }
    setText(next.text);
    setCaret(next.caret);
    setChosen((current) => (current.some((c) => c.userId === colleague.userId) ? current : [...current, colleague]));
  };

  const send = async () => {
    if (!text.trim() || sending) {
      return;
    }
    setSending(true);
    setProblem(null);
    try {
      onStored(await api.addNote(conversationId, clientNoteId.current, text, mentionsIn(text, colleaguesFor(chosen, topic))));
      clientNoteId.current = crypto.randomUUID();
      setText('');
      setChosen([]);
      // "Add note" is disabled now that the box is empty, which drops the keyboard focus: it goes to the box, for the next note.
      input.current?.focus();
    } catch (error) {
      setProblem(error instanceof ApiError && error.status < 500 && error.code !== 'temporarily_unavailable' ? error.message : notSavedText(error, 'Could not add the note. Try again.'));
    } finally {
      setSending(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (open && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      setActive((index) => (index + (event.key === 'ArrowDown' ? 1 : candidates.length - 1)) % candidates.length);
    } else if (open && (event.key === 'Enter' || event.key === 'Tab')) {
      event.preventDefault();
      pick(candidates[Math.min(active, candidates.length - 1)]!);
    } else if (open && event.key === 'Escape') {
      event.preventDefault();
      setDismissed(true);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onLeave();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <div class="note-composer">
      <ErrorAlert message={problem} />
      {open && (
        <ul class="mention-list" role="listbox" id="mention-list" aria-label="Mention a colleague">
          {candidates.map((c, index) => (
            <li
              key={c.userId}
              id={`mention-${c.userId}`}
              role="option"
              aria-selected={index === active}
              onMouseDown={(event) => {
                event.preventDefault();
                pick(c);
              }}
            >
              {c.displayName}
            </li>
          ))}
        </ul>
      )}
      <div class="composer-row">
        <textarea
          ref={input}
          aria-label="Internal note"
          placeholder="Internal note: only staff see it. Type @ to mention a colleague."
          rows={2}
          value={text}
          role="combobox"
          aria-expanded={open}
          aria-controls={open ? 'mention-list' : undefined}
          aria-activedescendant={open ? `mention-${candidates[Math.min(active, candidates.length - 1)]!.userId}` : undefined}
          aria-autocomplete="list"
          onInput={(event) => {
            setText(event.currentTarget.value);
            setCaret(event.currentTarget.selectionStart ?? event.currentTarget.value.length);
            setActive(0);
            setDismissed(false);
          }}
          onKeyUp={(event) => setCaret(event.currentTarget.selectionStart ?? 0)}
          onClick={(event) => setCaret(event.currentTarget.selectionStart ?? 0)}
          onKeyDown={onKeyDown}
        />
        <BusyButton class="primary" busy={sending} unavailable={!text.trim()} onClick={() => void send()}>
          Add note
        </BusyButton>
      </div>
    </div>
  );
}
