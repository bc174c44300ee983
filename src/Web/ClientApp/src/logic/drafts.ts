/**
 * What someone was writing in a thread, kept for this browser tab (sessionStorage) so that a reload or a look at another
 * thread does not lose it; gone when the tab closes, and removed at sign-out with the outbox (a draft may hold patient data).
 */
const prefix = 'clinicchat.draft.';

export function draftKey(userId: string, conversationId: string): string {
  return `${prefix}${userId}.${conversationId}`;
}

/** A staff member's internal note in a thread: beside the message draft, and forgotten with it at sign-out. */
export function noteDraftKey(userId: string, conversationId: string): string {
  return `${draftKey(userId, conversationId)}.note`;
}

export function readDraft(storage: Storage, key: string): string {
  try {
    return storage.getItem(key) ?? '';
  } catch {
    return ''; // storage refused (private mode, quota): nothing kept
  }
}

/** Keeps the draft, or forgets it once empty (sent or cleared). */
export function keepDraft(storage: Storage, key: string, text: string): void {
  try {
    if (text.trim() === '') {
      storage.removeItem(key);
    } else {
      storage.setItem(key, text);
    }
  } catch {
    // A draft that cannot be kept is still in the composer.
  }
}

/**
 * A draft that is more than its text (a note: the colleagues it mentions, and the id a retry of it keeps), kept as JSON
 * and forgotten once its text is empty. Null when there is none, or what is stored is not one (written by another build).
 */
export function readDraftOf<T extends { text: string }>(storage: Storage, key: string): T | null {
  const stored = readDraft(storage, key);
  try {
    const draft: unknown = stored ? JSON.parse(stored) : null;
    return typeof draft === 'object' && draft !== null && typeof (draft as { text?: unknown }).text === 'string' ? (draft as T) : null;
  } catch {
    return null;
  }
}

export function keepDraftOf<T extends { text: string }>(storage: Storage, key: string, draft: T): void {
  keepDraft(storage, key, draft.text.trim() === '' ? '' : JSON.stringify(draft));
}

/** At sign-out: every draft of this tab, whoever wrote it. */
export function forgetDrafts(storage: Storage): void {
  Array.from({ length: storage.length }, (_, i) => storage.key(i))
    .filter((key): key is string => key?.startsWith(prefix) ?? false)
    .forEach((key) => storage.removeItem(key));
}
