/**
 * What someone was writing in a thread, kept for this browser tab (sessionStorage) so that a reload or a look at another
 * thread does not lose it; gone when the tab closes, and removed at sign-out with the outbox (a draft may hold patient data).
 */
const prefix = 'clinicchat.draft.';

export function draftKey(userId: string, conversationId: string): string {
  return `${prefix}${userId}.${conversationId}`;
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

/** At sign-out: every draft of this tab, whoever wrote it. */
export function forgetDrafts(storage: Storage): void {
  Array.from({ length: storage.length }, (_, i) => storage.key(i))
    .filter((key): key is string => key?.startsWith(prefix) ?? false)
    .forEach((key) => storage.removeItem(key));
}
