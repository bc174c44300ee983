import { describe, expect, it } from 'vitest';
import { draftKey, forgetDrafts, keepDraft, keepDraftOf, noteDraftKey, readDraft, readDraftOf } from './drafts';

/** A Storage over a Map: what the browser's sessionStorage does, in memory. */
function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (key: string) => map.get(key) ?? null,
    key: (index: number) => [...map.keys()][index] ?? null,
    removeItem: (key: string) => void map.delete(key),
    setItem: (key: string, value: string) => void map.set(key, value),
  };
}

describe('drafts', () => {
  it("keeps a note with its mentions beside the thread's message draft, forgotten once empty and at sign-out", () => {
    const storage = memoryStorage();
    const note = { text: 'Call back @Frank Foster', mentioned: [{ userId: 'frank', displayName: 'Frank Foster' }], clientNoteId: 'n1' };
    keepDraft(storage, draftKey('alice', 't1'), 'Your results are');
    keepDraftOf(storage, noteDraftKey('alice', 't1'), note);
    expect(readDraftOf<typeof note>(storage, noteDraftKey('alice', 't1'))).toEqual(note);
    expect(readDraft(storage, draftKey('alice', 't1'))).toBe('Your results are');
    expect(readDraftOf(storage, noteDraftKey('alice', 't2'))).toBeNull();

    keepDraftOf(storage, noteDraftKey('alice', 't1'), { ...note, text: ' ' });
    expect(readDraftOf(storage, noteDraftKey('alice', 't1'))).toBeNull();
    keepDraftOf(storage, noteDraftKey('alice', 't1'), note);
    forgetDrafts(storage);
    expect(storage.length).toBe(0);
  });

  it('reads a stored note that is not one as none', () => {
    const storage = memoryStorage();
    storage.setItem(noteDraftKey('alice', 't1'), 'plain text from an older build');
    expect(readDraftOf(storage, noteDraftKey('alice', 't1'))).toBeNull();
    storage.setItem(noteDraftKey('alice', 't1'), '{"mentioned":[]}');
    expect(readDraftOf(storage, noteDraftKey('alice', 't1'))).toBeNull();
  });

  it('keeps a draft per person and thread until it is empty', () => {
    const storage = memoryStorage();
    keepDraft(storage, draftKey('alice', 't1'), 'Your results are');
    keepDraft(storage, draftKey('alice', 't2'), 'See you');
    expect(readDraft(storage, draftKey('alice', 't1'))).toBe('Your results are');
    expect(readDraft(storage, draftKey('frank', 't1'))).toBe('');
    keepDraft(storage, draftKey('alice', 't1'), '   ');
    expect(readDraft(storage, draftKey('alice', 't1'))).toBe('');
    expect(readDraft(storage, draftKey('alice', 't2'))).toBe('See you');
  });

  it('forgets every draft at sign-out and nothing else', () => {
    const storage = memoryStorage();
    keepDraft(storage, draftKey('alice', 't1'), 'Your results are');
    storage.setItem('other', 'kept');
    forgetDrafts(storage);
    expect(readDraft(storage, draftKey('alice', 't1'))).toBe('');
    expect(storage.getItem('other')).toBe('kept');
  });
});
