import { describe, expect, it } from 'vitest';
import { draftKey, forgetDrafts, keepDraft, readDraft } from './drafts';

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
