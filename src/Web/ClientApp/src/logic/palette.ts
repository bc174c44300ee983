import type { FilledQuickReply, RecordKind } from '../types';
import { couldBeShortcut, matchQuickReplies } from './quickReplies';
import { matchShortcuts, maxRecordQueryLength, shortcutFor, type Shortcut } from './records';

// Decisions behind the composer's "/" palette: the "/word" under the caret, what the palette lists for it (the record
// commands, the user's quick replies, or the records of a chosen command), its keys, and what choosing does to the draft.

/** A "/word" in the draft, from its slash to the next whitespace. */
export interface SlashToken {
  start: number;
  end: number;
  text: string;
}

/**
 * The "/word" the caret is in, or null. Only a word that starts with the slash counts (after the
 * start of the draft or whitespace), so "1/2", "and/or" and links stay plain text; so do paths such as "/a/b".
 */
export function slashTokenAt(text: string, caret: number): SlashToken | null {
  let start = caret;
  while (start > 0 && !/\s/.test(text[start - 1]!)) {
    start--;
  }
  let end = caret;
  while (end < text.length && !/\s/.test(text[end]!)) {
    end++;
  }
  const word = text.slice(start, end);
  if (caret === start || !word.startsWith('/') || word.includes('/', 1)) {
    return null;
  }
  return { start, end, text: word };
}

/**
 * The draft with the token replaced, and where the caret goes. Removing it (an empty replacement) also
 * drops the space after it, so "See /appt today" becomes "See today".
 */
export function replaceToken(text: string, token: SlashToken, replacement: string): { text: string; caret: number } {
  const before = text.slice(0, token.start);
  let after = text.slice(token.end);
  if (replacement === '' && after.startsWith(' ')) {
    after = after.slice(1);
  }
  return { text: before + replacement + after, caret: before.length + replacement.length };
}

/**
 * The draft with a quick reply in place of its "/word", the caret after the inserted text. When the reply itself ends
 * in a "/word" the palette would open on it: dismissedAt says to leave that one alone.
 */
export function insertQuickReply(text: string, token: SlashToken, replyText: string): { text: string; caret: number; dismissedAt: number | null } {
  const next = replaceToken(text, token, replyText);
  return { ...next, dismissedAt: slashTokenAt(next.text, next.caret)?.start ?? null };
}

/** The stage of a shortcut the user chose: the records of its kind are listed while its command stays typed. */
export interface ChosenShortcut {
  start: number;
  kind: RecordKind;
}

/** One row of the palette's first list: a record command, or one of the user's quick replies filled in for the thread. */
export type PaletteEntry = { kind: 'command'; shortcut: Shortcut } | { kind: 'reply'; reply: FilledQuickReply };

/** The quick replies the palette may offer: none while there is no thread to fill them for (or none asked for yet). */
export interface PaletteReplies {
  items: readonly FilledQuickReply[];
  /** Being fetched (first time for the thread): a "/word" that could be a shortcut keeps the palette open meanwhile. */
  loading: boolean;
}

const noReplies: PaletteReplies = { items: [], loading: false };

export type PaletteView =
  | { stage: 'closed' }
  /** The commands that match, then the quick replies that match (commands first, so their places never move as replies arrive). */
  | { stage: 'commands'; token: SlashToken; entries: PaletteEntry[] }
  /** token: the command and any search typed after it (what choosing a record removes); query: that search, trimmed. */
  | { stage: 'records'; token: SlashToken; shortcut: Shortcut; query: string };

/**
 * What the palette shows for the draft and caret: nothing, the matching commands and quick replies, or (once a
 * command was chosen and is still typed in full) the records of its kind; words typed after the command on the same
 * line ("/rx ibu") search them. A "/word" matching nothing closes it, so that text is sent as typed (unless the
 * replies are still loading and it could be a shortcut); so does Escape (dismissedAt) until that word is gone.
 * recordKinds: the commands offered (Billing staff may attach invoices only); all when left out.
 */
export function paletteView(
  text: string,
  caret: number,
  dismissedAt: number | null,
  chosen: ChosenShortcut | null,
  replies: PaletteReplies = noReplies,
  recordKinds?: readonly RecordKind[],
): PaletteView {
  if (chosen && chosen.start !== dismissedAt) {
    const searching = recordSearchAt(text, caret, chosen);
    if (searching) {
      return searching;
    }
  }
  const token = slashTokenAt(text, caret);
  if (!token || token.start === dismissedAt) {
    return { stage: 'closed' };
  }
  const entries: PaletteEntry[] = [
    ...matchShortcuts(token.text)
      .filter((shortcut) => !recordKinds || recordKinds.includes(shortcut.kind))
      .map((shortcut) => ({ kind: 'command' as const, shortcut })),
    ...matchQuickReplies(token.text, replies.items).map((reply) => ({ kind: 'reply' as const, reply })),
  ];
  const waiting = replies.loading && couldBeShortcut(token.text);
  return entries.length > 0 || waiting ? { stage: 'commands', token, entries } : { stage: 'closed' };
}

/** The records stage while the chosen command is typed in full and the caret is in it or in the search after it. */
function recordSearchAt(text: string, caret: number, chosen: ChosenShortcut): PaletteView | null {
  const shortcut = shortcutFor(chosen.kind);
  const commandEnd = chosen.start + shortcut.command.length;
  const command = text.slice(chosen.start, commandEnd).toLowerCase();
  const startsWord = chosen.start === 0 || /\s/.test(text[chosen.start - 1]!);
  if (command !== shortcut.command || !startsWord || caret <= chosen.start) {
    return null;
  }
  if (caret <= commandEnd) {
    // In the command itself, which must end there (not "/apptx").
    const end = slashTokenAt(text, caret)?.end;
    return end === commandEnd ? { stage: 'records', token: { start: chosen.start, end, text: command }, shortcut, query: '' } : null;
  }
  const typed = text.slice(commandEnd, caret);
  if (!typed.startsWith(' ') || typed.includes('\n') || typed.length > maxRecordQueryLength + 1) {
    return null;
  }
  return { stage: 'records', token: { start: chosen.start, end: caret, text: text.slice(chosen.start, caret) }, shortcut, query: typed.trim() };
}

export type PaletteAction =
  | { type: 'move'; active: number }
  | { type: 'choose'; index: number }
  | { type: 'close' }
  /** The key belongs to the open palette but there is nothing to choose (loading, empty): it must not send. */
  | { type: 'none' };

/**
 * Keys while the palette is open. Arrows wrap around (as in the New conversation dialog's patient
 * list), Enter chooses instead of sending, Escape closes; null leaves the key to the textarea
 * (Shift+Enter still starts a new line, and an IME keeps its own Enter).
 */
export function paletteKeyAction(
  event: { key: string; shiftKey?: boolean; altKey?: boolean; ctrlKey?: boolean; metaKey?: boolean; isComposing?: boolean },
  active: number,
  count: number,
): PaletteAction | null {
  if (event.isComposing || event.altKey || event.ctrlKey || event.metaKey) {
    return null;
  }
  switch (event.key) {
    case 'ArrowDown':
      return { type: 'move', active: count === 0 ? 0 : (clamp(active, count) + 1) % count };
    case 'ArrowUp':
      return { type: 'move', active: count === 0 ? 0 : (clamp(active, count) - 1 + count) % count };
    case 'Enter':
      if (event.shiftKey) {
        return null;
      }
      return count === 0 ? { type: 'none' } : { type: 'choose', index: clamp(active, count) };
    case 'Escape':
      return { type: 'close' };
    default:
      return null;
  }
}

/** An active index that is valid for a list of count options (0 for an empty one). */
export function clamp(active: number, count: number): number {
  return Math.max(0, Math.min(active, count - 1));
}
