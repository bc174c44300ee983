export type ComposerAction = 'send' | 'newline' | null;

/** Enter sends; Shift+Enter inserts a new line; Enter while an IME is composing belongs to the IME. */
export function composerKeyAction(event: { key: string; shiftKey: boolean; isComposing?: boolean }): ComposerAction {
  if (event.key !== 'Enter' || event.isComposing) {
    return null;
  }
  return event.shiftKey ? 'newline' : 'send';
}

export const maxMessageLength = 4000;

/** The counter shows from here on: far enough before the limit to plan, late enough not to nag. */
export const counterFrom = 3600;

/** Why the text cannot be sent, or null when it can. */
const emptyMessage = 'Type a message first.';

export function composerProblem(text: string): string | null {
  if (text.trim().length === 0) {
    return emptyMessage;
  }
  return lengthProblem(text);
}

/**
 * A refusal on screen (`shown`) after the draft changed, given the draft's problem now: gone once it is
 * fixed, replaced when the draft has another (an empty box's "type a message first" after pasting too much). An emptied box
 * is not refused: the writer has not tried to send it.
 */
export function problemAfterEdit(shown: string | null, now: string | null): string | null {
  if (shown === null || now === shown) {
    return shown;
  }
  return now === emptyMessage ? null : now;
}

/**
 * Text over the limit is kept whole and Send refused until it is shortened: cutting it (even saying
 * where) could drop the end of a clinical sentence the writer never sees go; they choose where to split.
 */
export function lengthProblem(text: string): string | null {
  const over = text.length - maxMessageLength;
  return over > 0 ? `The message is ${over.toLocaleString('en-GB')} ${over === 1 ? 'character' : 'characters'} over the ${maxMessageLength.toLocaleString('en-GB')}-character limit. Shorten it or split it to send.` : null;
}

/** Said once when the text crosses the limit; the counter next to it has the numbers. */
export const overLimitWarning = `Over the ${maxMessageLength.toLocaleString('en-GB')}-character limit: nothing was cut, shorten or split the message to send it.`;

/** "3,700 / 4,000" near the limit; null well below it. */
export function characterCount(text: string): string | null {
  return text.length >= counterFrom ? `${text.length.toLocaleString('en-GB')} / ${maxMessageLength.toLocaleString('en-GB')}` : null;
}

/** A file in the composer's tray, as far as Send cares. */
export interface TrayFile {
  name: string;
  state: 'uploading' | 'uploaded' | 'failed';
  /** Why it failed, as shown on the file. */
  error?: string | null;
}

/**
 * Why Send cannot go now, or null. A failed file is never dropped silently: the message waits until
 * it is retried or removed, and the reason names the file and what went wrong with it.
 */
/** As the server's MessageRules.MaxCards. */
export const maxCardsPerMessage = 5;

export function sendProblem(text: string, files: readonly TrayFile[], cardCount: number): string | null {
  const failed = files.filter((f) => f.state === 'failed');
  const first = failed[0];
  if (first) {
    const why = first.error ? ` ${/[.!?]$/.test(first.error) ? first.error : `${first.error}.`}` : '';
    return failed.length === 1
      ? `“${first.name}” did not upload:${why} Remove or retry the failed file to send.`
      : `${failed.length} files did not upload. Remove or retry the failed files to send.`;
  }
  if (files.some((f) => f.state === 'uploading')) {
    return 'Wait for the files to finish uploading.';
  }
  if (cardCount > maxCardsPerMessage) {
    return `A message carries at most ${maxCardsPerMessage} cards: remove ${cardCount - maxCardsPerMessage}.`;
  }
  const hasAttachments = files.length + cardCount > 0;
  return hasAttachments && text.trim().length === 0 ? lengthProblem(text) : composerProblem(text);
}

/**
 * The composer's hint. Staff of several clinics are told which clinic they write as, so that nobody
 * answers a patient on behalf of the wrong one; a blocked composer says nothing (the reason shows beside it).
 */
export function composerPlaceholder(options: { blocked: boolean; sensitive: boolean; shortcuts: boolean; speakingAs: { patientName: string; clinicName: string } | null }): string {
  if (options.blocked) {
    return '';
  }
  const shortcuts = options.shortcuts && !options.sensitive ? ' (/ for shortcuts)' : '';
  if (options.speakingAs) {
    const { patientName, clinicName } = options.speakingAs;
    return `${options.sensitive ? 'Sensitive message to' : 'Message'} ${patientName} as ${clinicName}${shortcuts}`;
  }
  return options.sensitive ? 'Write a sensitive message…' : `Write a message…${shortcuts}`;
}
