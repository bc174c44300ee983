import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { characterCount, composerKeyAction, composerPlaceholder, lengthProblem, overLimitWarning, problemAfterEdit, sendProblem, type TrayFile } from '../logic/composer';
import { keepDraft, readDraft } from '../logic/drafts';
import { isDefinitive } from '../logic/outbox';
import { sensitiveToggleTitle } from '../logic/sensitive';
import { placeholdersLeft, unfilledNote } from '../logic/quickReplies';
import { kindLabel, recordSummary } from '../logic/records';
import { humanSize, sizeProblem } from '../logic/uploads';
import type { PatientRecord, RecordKind, UploadedAttachment, UserKind } from '../types';
import { LockIcon, PaperclipIcon } from './Icons';
import { ShortcutPalette } from './ShortcutPalette';
import { useShortcutPalette, type FindQuickReplies, type FindRecords } from './useShortcutPalette';
import { ErrorAlert } from './ErrorAlert';

/** Starts uploading a file; the composer shows its progress and can cancel it. */
export type Uploader = (file: File, onProgress: (fraction: number) => void) => { done: Promise<UploadedAttachment>; cancel: () => void };

interface Props {
  blockedReason: string | null;
  /** Queues the text, the uploaded attachments and the chosen records for sending (the outbox owns them from here). */
  onSend: (text: string, attachmentIds: string[], recordIds: string[], sensitive: boolean) => void;
  /** Called while the user types; throttled here to one call every few seconds. */
  onTyping: () => void;
  upload: Uploader;
  /** Files dropped or pasted onto the thread; the composer takes them like the paperclip's. */
  incomingFiles: File[];
  /** Staff only: turns on the "/" palette (/appt, /invoice, /rx) that attaches records. Null: "/" is plain text. */
  findRecords: FindRecords | null;
  /** Staff who chat: the palette also offers their quick replies, filled in for the thread's patient. Needs findRecords. */
  findQuickReplies?: FindQuickReplies | null;
  /** The record commands the palette offers (Billing staff: invoices only); all when left out. */
  recordKinds?: readonly RecordKind[];
  /** Staff of several clinics: whom they write to and as which clinic, said in the placeholder. Null: a plain placeholder. */
  speakingAs?: { patientName: string; clinicName: string } | null;
  /** Puts the caret in the message box when the thread opens, so the keyboard need not Tab through the history first. */
  focusOnOpen?: boolean;
  /** Who is writing: the lock's explanation differs for staff and patients. */
  writer: UserKind;
  /** Where this thread's unsent draft is kept across a reload (logic/drafts); none: not kept. */
  draftKey?: string | null;
}

interface PendingFile {
  key: string;
  file: File;
  progress: number;
  attachmentId: string | null;
  error: string | null;
  /** A failure that may pass on another try (the connection, the server busy); a refused file or a file too large will not. */
  retryable: boolean;
  cancel: () => void;
}

const typingEveryMs = 2500;

/**
 * Enter sends, Shift+Enter starts a new line; the paperclip, drag-and-drop and paste attach files.
 * The lock marks the next message (its text, files and cards) sensitive, and turns off once it is queued.
 */
export function Composer({ blockedReason, onSend, onTyping, upload, incomingFiles, findRecords, findQuickReplies = null, recordKinds, writer, speakingAs = null, focusOnOpen = false, draftKey = null }: Props) {
  const [text, setText] = useState(() => (draftKey ? readDraft(window.sessionStorage, draftKey) : ''));
  const [problem, setProblem] = useState<string | null>(null);
  const [files, setFiles] = useState<PendingFile[]>([]);
  const [cards, setCards] = useState<PatientRecord[]>([]);
  const [sensitive, setSensitive] = useState(false);
  /** Placeholders the inserted quick replies left as written (the clinic has no phone set): the writer fills them in. */
  const [unfilled, setUnfilled] = useState<string[]>([]);
  /** A send was refused because the draft still held one of those placeholders. */
  const [fillInRefused, setFillInRefused] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const palette = useShortcutPalette({
    text,
    setText,
    input,
    findRecords: blockedReason ? null : findRecords,
    onPicked: (record) => setCards((current) => (current.some((c) => c.id === record.id) ? current : [...current, record])),
    findQuickReplies: blockedReason ? null : findQuickReplies,
    onQuickReply: (reply) => setUnfilled((current) => [...current, ...reply.unfilled]),
    recordKinds,
  });
  const picker = useRef<HTMLInputElement>(null);
  const lastTyping = useRef(0);

  // The message box takes the keyboard when the thread opens. A thread can open with the box still disabled (an invited
  // patient's thread, until their pending invitation is known), and a disabled box cannot take focus: the focus is then
  // given when the box first becomes writable, unless the user has put it somewhere meanwhile (found on a walk: after
  // + New conversation for an invited patient, the focus stayed on + New conversation).
  const focusPending = useRef(focusOnOpen);
  useEffect(() => {
    if (!focusPending.current) {
      return;
    }
    if (blockedReason === null) {
      focusPending.current = false;
      input.current?.focus();
      return;
    }
    const userMoved = () => (focusPending.current = false);
    document.addEventListener('focusin', userMoved);
    document.addEventListener('pointerdown', userMoved);
    return () => {
      document.removeEventListener('focusin', userMoved);
      document.removeEventListener('pointerdown', userMoved);
    };
  }, [blockedReason]);

  const update = (key: string, change: Partial<PendingFile>) => setFiles((current) => current.map((f) => (f.key === key ? { ...f, ...change } : f)));

  /** Uploads a file into the tray entry `key` (a new one, or a failed one being retried in place). */
  const start = (key: string, file: File) => {
    const started = upload(file, (fraction) => update(key, { progress: fraction }));
    setFiles((current) =>
      current.some((f) => f.key === key)
        ? current.map((f) => (f.key === key ? { ...f, progress: 0, error: null, retryable: false, cancel: started.cancel } : f))
        : [...current, { key, file, progress: 0, attachmentId: null, error: null, retryable: false, cancel: started.cancel }],
    );
    started.done.then(
        (stored) => update(key, { attachmentId: stored.attachmentId, progress: 1 }),
        (error: unknown) => {
          if (error instanceof ApiError && error.code === 'cancelled') {
            setFiles((current) => current.filter((f) => f.key !== key));
          } else {
            update(key, { error: error instanceof ApiError ? error.message : 'Upload failed.', retryable: !(error instanceof ApiError && isDefinitive(error.status)) });
          }
        },
      );
  };

  // Back online: a file that failed for the connection uploads again by itself, as a message written offline goes out
  // (found on a walk: the offline notice promised that, and the file stayed failed until Retry).
  const retryAfterOutage = useRef<() => void>(() => undefined);
  retryAfterOutage.current = () => files.filter((f) => f.error !== null && f.retryable).forEach((f) => start(f.key, f.file));
  useEffect(() => {
    const onOnline = () => retryAfterOutage.current();
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, []);

  const attach = (list: Iterable<File>) => {
    for (const file of list) {
      const key = crypto.randomUUID();
      const tooLarge = sizeProblem(file.size);
      if (tooLarge) {
        setFiles((current) => [...current, { key, file, progress: 0, attachmentId: null, error: tooLarge, retryable: false, cancel: () => undefined }]);
        continue;
      }
      start(key, file);
    }
  };

  useEffect(() => {
    if (incomingFiles.length > 0 && !blockedReason) {
      attach(incomingFiles);
    }
  }, [incomingFiles]); // eslint-disable-line react-hooks/exhaustive-deps

  const ready = files.filter((f) => f.attachmentId !== null).map((f) => f.attachmentId!);
  const tray: TrayFile[] = files.map((f) => ({ name: f.file.name, state: f.error ? 'failed' : f.attachmentId ? 'uploaded' : 'uploading', error: f.error }));
  const count = characterCount(text);
  // Said until the draft no longer contains them, and nothing is sent while it does: a patient must not read "{clinic.phone}".
  const left = placeholdersLeft(text, unfilled);
  const toFillIn = unfilledNote(left, fillInRefused);
  const overLimit = lengthProblem(text) !== null;

  // A refusal follows the draft: it goes away once what caused it is fixed (the failed file retried or removed, the text
  // shortened), and says the new reason when the draft changed into another problem.
  useEffect(() => {
    if (problem === null) {
      // Nothing said: nothing to follow (this runs at every keystroke).
      return;
    }
    const next = problemAfterEdit(problem, sendProblem(text, tray, cards.length));
    if (next !== problem) {
      setProblem(next);
    }
  }, [problem, text, files, cards]); // eslint-disable-line react-hooks/exhaustive-deps

  // Kept as the text changes, before the browser paints: an effect runs a frame later, and a reload right after typing
  // (or a tab whose frames are throttled) lost the last words.
  useLayoutEffect(() => {
    if (draftKey) {
      keepDraft(window.sessionStorage, draftKey, text);
    }
  }, [draftKey, text]);

  // Once filled in they are forgotten, so the same words typed later on purpose raise no note.
  useEffect(() => {
    if (unfilled.length > 0 && left.length === 0) {
      setUnfilled([]);
      setFillInRefused(false);
    }
  }, [unfilled, left.length]);

  const send = () => {
    const reason = sendProblem(text, tray, cards.length);
    if (reason || blockedReason) {
      setProblem(blockedReason ? null : reason);
      return;
    }
    const placeholder = left[0];
    if (placeholder !== undefined) {
      // The writer's next keystrokes replace it.
      const at = text.indexOf(placeholder);
      setFillInRefused(true);
      input.current?.focus();
      input.current?.setSelectionRange(at, at + placeholder.length);
      return;
    }
    onSend(text, ready, cards.map((c) => c.id), sensitive);
    setProblem(null);
    setSensitive(false);
    setText('');
    setFiles([]);
    setCards([]);
    setUnfilled([]);
    setFillInRefused(false);
    palette.reset();
    lastTyping.current = 0;
    input.current?.focus();
  };

  const onInput = (element: HTMLTextAreaElement) => {
    const value = element.value;
    setText(value);
    palette.follow(element, true);
    const now = Date.now();
    // A command or its search being typed ("/appt clean") is not writing yet: the patient would read "typing…" for a card
    // that may never come. Picking a card or a reply replaces it.
    if (value.length > 0 && !value.startsWith('/') && now - lastTyping.current > typingEveryMs) {
      lastTyping.current = now;
      onTyping();
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (palette.onKeyDown(event)) {
      return;
    }
    if (composerKeyAction(event) === 'send') {
      event.preventDefault();
      send();
    }
  };

  const onPaste = (event: ClipboardEvent) => {
    const pasted = [...(event.clipboardData?.files ?? [])];
    if (pasted.length > 0) {
      event.preventDefault();
      attach(pasted);
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      {blockedReason && (
        <p class="blocked" id="composer-blocked">
          {blockedReason}
        </p>
      )}
      <ErrorAlert message={problem} />
      {files.length > 0 && (
        <ul class="pending-files" aria-label="Attachments to send">
          {files.map((f) => (
            <li key={f.key} class={f.error ? 'pending-file failed' : 'pending-file'}>
              <span class="file-name">{f.file.name}</span>
              <span class="file-size">{humanSize(f.file.size)}</span>
              {f.error ? (
                <span role="alert" class="file-error">
                  {f.error}
                </span>
              ) : (
                // Every byte sent is not yet stored: the server still checks the file, and until it
                // answers the bar says "Uploading" (Send waits for "Uploaded").
                <progress aria-label={`${f.attachmentId ? 'Uploaded' : 'Uploading'} ${f.file.name}`} max={1} value={f.progress} />
              )}
              {f.error && f.retryable && (
                <button type="button" class="link-button" aria-label={`Retry ${f.file.name}`} onClick={() => start(f.key, f.file)}>
                  Retry
                </button>
              )}
              <button
                type="button"
                class="link-button"
                aria-label={`Remove ${f.file.name}`}
                onClick={() => {
                  f.cancel();
                  setFiles((current) => current.filter((other) => other.key !== f.key));
                  // The pressed button goes with its row: the keyboard returns to the message box, not the page.
                  input.current?.focus();
                }}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      {cards.length > 0 && (
        <ul class="pending-files" aria-label="Cards to send">
          {cards.map((card) => {
            const summary = recordSummary(card);
            return (
              <li key={card.id} class="pending-file pending-card">
                <span class="file-name">{kindLabel(card.kind)}</span>
                <span class="card-summary">{summary}</span>
                <button
                  type="button"
                  class="link-button"
                  aria-label={`Remove ${kindLabel(card.kind).toLowerCase()} ${summary}`}
                  onClick={() => {
                    setCards((current) => current.filter((other) => other.id !== card.id));
                    input.current?.focus();
                  }}
                >
                  ✕
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {palette.view.stage !== 'closed' && (
        <ShortcutPalette
          listId={palette.listId}
          optionId={palette.optionId}
          view={palette.view}
          listing={palette.listing}
          activeIndex={palette.activeIndex}
          onActivate={palette.setActive}
          onChoose={palette.choose}
          replies={palette.replies}
        />
      )}
      <div class="composer-row">
        <button type="button" class="attach" aria-label="Attach files" disabled={blockedReason !== null} onClick={() => picker.current?.click()}>
          <PaperclipIcon />
        </button>
        <button
          type="button"
          class={sensitive ? 'sensitive-toggle on' : 'sensitive-toggle'}
          aria-label="Mark sensitive"
          aria-pressed={sensitive}
          title={sensitiveToggleTitle(sensitive, writer)}
          disabled={blockedReason !== null}
          onClick={() => setSensitive((on) => !on)}
        >
          <LockIcon size={20} />
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          accept="image/*,.heic,.pdf,.docx,.xlsx,.odt,.txt,.csv"
          onChange={(event) => {
            attach([...(event.currentTarget.files ?? [])]);
            event.currentTarget.value = '';
          }}
        />
        <textarea
          ref={input}
          aria-label="Message"
          aria-describedby={blockedReason ? 'composer-blocked' : [toFillIn ? 'composer-unfilled' : '', count ? 'composer-count' : ''].filter(Boolean).join(' ') || undefined}
          placeholder={composerPlaceholder({ blocked: blockedReason !== null, sensitive, shortcuts: findRecords !== null, speakingAs })}
          title="Enter sends, Shift+Enter starts a new line"
          rows={2}
          value={text}
          disabled={blockedReason !== null}
          onInput={(e) => onInput(e.currentTarget)}
          onKeyDown={onKeyDown}
          onKeyUp={(e) => palette.follow(e.currentTarget, false)}
          onClick={(e) => palette.follow(e.currentTarget, false)}
          onPaste={onPaste}
          {...palette.textareaProps}
        />
        <button type="submit" disabled={blockedReason !== null}>
          Send
        </button>
      </div>
      {/* Present whenever replies can be inserted, so that the note is announced when one leaves something to fill in. */}
      {findQuickReplies && (
        <p id="composer-unfilled" class="unfilled-note" role="status">
          {toFillIn}
        </p>
      )}
      {count && (
        <p id="composer-count" class={overLimit ? 'char-count over' : 'char-count'}>
          {count}
        </p>
      )}
      {/* Always present so that crossing the limit (typing or a long paste) is announced once; quiet while a refused
          send says the same above (one message about the length, not two). */}
      <p class="length-warning" role="status">
        {overLimit && !problem ? overLimitWarning : ''}
      </p>
    </form>
  );
}
