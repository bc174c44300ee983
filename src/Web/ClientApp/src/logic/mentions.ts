import type { Colleague } from '../types';

/** The "@word" being typed just before the caret (at the start or after a space), or null. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)@([^@\s]{0,40})$/.exec(text.slice(0, caret));
  return match ? { start: caret - match[2]!.length - 1, query: match[2]! } : null;
}

/** Colleagues whose name has a word starting with the query (case and accents ignored), at most six. */
export function mentionCandidates(colleagues: readonly Colleague[], query: string): Colleague[] {
  const fold = (value: string) => value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const wanted = fold(query);
  return colleagues.filter((c) => fold(c.displayName).split(/\s+/).some((word) => word.startsWith(wanted))).slice(0, 6);
}

/** The text with "@query" replaced by "@Display Name ", and where the caret goes after it. */
export function insertMention(text: string, at: { start: number; query: string }, colleague: Colleague): { text: string; caret: number } {
  const inserted = `@${colleague.displayName} `;
  const before = text.slice(0, at.start);
  const after = text.slice(at.start + 1 + at.query.length);
  return { text: before + inserted + after, caret: before.length + inserted.length };
}

/** The colleagues chosen whose "@Name" is still in the text: a mention the writer deleted is not sent. */
export function mentionsIn(text: string, chosen: readonly Colleague[]): string[] {
  return [...new Set(chosen.filter((c) => text.includes(`@${c.displayName}`)).map((c) => c.userId))];
}
