import type { RefObject } from 'preact';
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { clamp, insertQuickReply, paletteKeyAction, paletteView, replaceToken, slashTokenAt, type ChosenShortcut, type PaletteView, type SlashToken } from '../logic/palette';
import type { Shortcut } from '../logic/records';
import type { FilledQuickReply, PatientRecord, RecordKind } from '../types';

/** The thread patient's records of a kind, what matters first; with a query, those matching it. */
export type FindRecords = (kind: RecordKind, query: string) => Promise<PatientRecord[]>;

/** The user's quick replies filled in for the open thread's patient (cached per thread by the caller). */
export type FindQuickReplies = () => Promise<FilledQuickReply[]>;

/** How long typing must pause before a search is asked for. */
const searchDelayMs = 200;

export interface RecordList {
  kind: RecordKind;
  query: string;
  state: 'loading' | 'loaded' | 'failed';
  items: PatientRecord[];
}

/** The quick replies as far as the palette knows them; items stay listed while a stale list is asked for again. */
export interface ReplyList {
  state: 'idle' | 'loading' | 'loaded' | 'failed';
  items: FilledQuickReply[];
}

interface Options {
  text: string;
  setText: (text: string) => void;
  input: RefObject<HTMLTextAreaElement>;
  /** Null turns the palette off: "/" is plain text (the patient's composer). */
  findRecords: FindRecords | null;
  onPicked: (record: PatientRecord) => void;
  /** Null: the palette lists the commands only. */
  findQuickReplies: FindQuickReplies | null;
  /** A quick reply was put into the draft (the composer notes what it left unfilled). */
  onQuickReply: (reply: FilledQuickReply) => void;
  /** The record commands offered (Billing staff: invoices only); all when left out. */
  recordKinds?: readonly RecordKind[];
}

/**
 * The "/" palette's state for the composer's textarea: what it shows (decided in logic/palette),
 * the active option, the quick replies and the records fetched for a chosen command, and the ARIA wiring.
 * Focus stays in the textarea; the active option is pointed at with aria-activedescendant.
 */
export function useShortcutPalette({ text, setText, input, findRecords, onPicked, findQuickReplies, onQuickReply, recordKinds }: Options) {
  const listId = `palette-${useId()}`;
  const [caret, setCaret] = useState(0);
  const [focused, setFocused] = useState(false);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [chosen, setChosen] = useState<ChosenShortcut | null>(null);
  const [active, setActive] = useState(0);
  const [records, setRecords] = useState<RecordList | null>(null);
  const request = useRef(0);
  const [replies, setReplies] = useState<ReplyList>({ state: 'idle', items: [] });
  const replyRequest = useRef(0);
  const caretAfterRender = useRef<number | null>(null);

  // A controlled textarea puts the caret at the end when its value is replaced: put it back where the edit was.
  useLayoutEffect(() => {
    const at = caretAfterRender.current;
    if (at !== null && input.current) {
      caretAfterRender.current = null;
      input.current.setSelectionRange(at, at);
    }
  }, [text, input]);

  // The replies are asked for when a "/word" is first typed (the palette opening), and again on each opening after:
  // the caller's cache answers at once while its copy is fresh.
  const typedWord = findRecords && focused ? slashTokenAt(text, caret) : null;
  const askingForReplies = findQuickReplies !== null && typedWord !== null && typedWord.start !== dismissedAt;
  useEffect(() => {
    if (!askingForReplies || !findQuickReplies) {
      return;
    }
    const mine = ++replyRequest.current;
    setReplies((shown) => (shown.state === 'loaded' ? shown : { state: 'loading', items: shown.items }));
    findQuickReplies().then(
      (items) => mine === replyRequest.current && setReplies({ state: 'loaded', items }),
      // A list shown before stays: it is only older than wanted.
      () => mine === replyRequest.current && setReplies((shown) => (shown.state === 'loaded' ? shown : { state: 'failed', items: [] })),
    );
  }, [askingForReplies, findQuickReplies]);
  // Until the first answer (and on the render before the effect asks) a word that could be a shortcut keeps the palette open.
  const repliesLoading = askingForReplies && (replies.state === 'idle' || replies.state === 'loading');

  const view: PaletteView =
    findRecords && focused
      ? paletteView(text, caret, dismissedAt, chosen, { items: findQuickReplies ? replies.items : [], loading: repliesLoading }, recordKinds)
      : { stage: 'closed' };
  const listing = view.stage === 'records' && records?.kind === view.shortcut.kind ? records : null;
  const wanted = view.stage === 'records' ? { kind: view.shortcut.kind, query: view.query } : null;

  // The records of the chosen kind, again whenever the search typed after the command changes (after a pause).
  useEffect(() => {
    if (!wanted || !findRecords) {
      return;
    }
    if (records && records.kind === wanted.kind && records.query === wanted.query) {
      return;
    }
    // Only the latest request's answer counts, whatever order the answers arrive in.
    const mine = ++request.current;
    const load = () => {
      setRecords((shown) => ({ kind: wanted.kind, query: wanted.query, state: 'loading', items: shown?.kind === wanted.kind ? shown.items : [] }));
      findRecords(wanted.kind, wanted.query).then(
        (items) => mine === request.current && setRecords({ ...wanted, state: 'loaded', items }),
        () => mine === request.current && setRecords({ ...wanted, state: 'failed', items: [] }),
      );
    };
    if (wanted.query === '') {
      load();
      return;
    }
    const timer = setTimeout(load, searchDelayMs);
    return () => clearTimeout(timer);
  }, [wanted?.kind, wanted?.query, findRecords]);
  const count = view.stage === 'commands' ? view.entries.length : listing?.state === 'loaded' ? listing.items.length : 0;
  const activeIndex = clamp(active, count);
  // Ids differ per stage, so that moving from the commands to the records is announced as a new option.
  const optionId = (index: number) => `${listId}-${view.stage}-${index}`;

  const edit = (next: { text: string; caret: number }) => {
    if (next.text === text) {
      // No re-render will come to move the caret (choosing "/rx" when "/rx" is typed in full): move it now, else the
      // next keystroke's render would move it back here.
      input.current?.setSelectionRange(next.caret, next.caret);
    } else {
      caretAfterRender.current = next.caret;
    }
    setCaret(next.caret);
    setText(next.text);
    setActive(0);
  };

  const chooseCommand = (shortcut: Shortcut, token: SlashToken) => {
    edit(replaceToken(text, token, shortcut.command));
    setChosen({ start: token.start, kind: shortcut.kind });
    // Fetched fresh for each choice (the effect above loads it): records change between choices.
    setRecords(null);
  };

  const chooseReply = (reply: FilledQuickReply, token: SlashToken) => {
    // The "/word" becomes the reply's text, to be read and edited before sending: nothing is sent.
    const inserted = insertQuickReply(text, token, reply.text);
    edit(inserted);
    setDismissedAt(inserted.dismissedAt);
    setChosen(null);
    onQuickReply(reply);
  };

  const choose = (index: number) => {
    if (view.stage === 'commands') {
      const entry = view.entries[index];
      if (entry?.kind === 'command') {
        chooseCommand(entry.shortcut, view.token);
      } else if (entry?.kind === 'reply') {
        chooseReply(entry.reply, view.token);
      }
    } else if (view.stage === 'records') {
      const record = listing?.state === 'loaded' ? listing.items[index] : undefined;
      if (record) {
        // The typed "/appt" has done its job: it leaves the draft, the record becomes a chip.
        edit(replaceToken(text, view.token, ''));
        setChosen(null);
        onPicked(record);
      }
    }
  };

  /** Takes the key when it is the open palette's; true when it did, and then the composer must not act on it (Enter must not send). */
  const onKeyDown = (event: KeyboardEvent): boolean => {
    if (view.stage === 'closed') {
      return false;
    }
    const action = paletteKeyAction(event, activeIndex, count);
    if (!action) {
      return false;
    }
    event.preventDefault();
    if (action.type === 'move') {
      setActive(action.active);
    } else if (action.type === 'choose') {
      choose(action.index);
    } else if (action.type === 'close') {
      setDismissedAt(view.token.start);
      setChosen(null);
    }
    return true;
  };

  /** Follows the caret (typing, clicks, arrow keys); a dismissal lasts until its "/word" is gone. */
  const follow = (element: HTMLTextAreaElement, edited: boolean) => {
    const at = element.selectionStart ?? 0;
    setCaret(at);
    if (edited) {
      setActive(0);
    }
    if (dismissedAt !== null && slashTokenAt(element.value, at)?.start !== dismissedAt) {
      setDismissedAt(null);
    }
  };

  const open = view.stage !== 'closed';
  return {
    view,
    listing,
    /** Null when the palette offers no quick replies (no thread to fill them for). */
    replies: findQuickReplies ? replies : null,
    listId,
    optionId,
    activeIndex,
    setActive,
    choose,
    onKeyDown,
    follow,
    reset: () => {
      setChosen(null);
      setDismissedAt(null);
    },
    /** Spread onto the textarea. */
    textareaProps: findRecords
      ? {
          'aria-autocomplete': 'list' as const,
          'aria-controls': open ? listId : undefined,
          'aria-activedescendant': open && count > 0 ? optionId(activeIndex) : undefined,
          onFocus: () => setFocused(true),
          onBlur: () => setFocused(false),
        }
      : {},
  };
}
