import { describe, expect, it } from 'vitest';
import { insertMention, mentionCandidates, mentionQuery, mentionsIn } from './mentions';

const frank = { userId: 'f', displayName: 'Frank Foster', roles: ['FrontDesk'] };
const alice = { userId: 'a', displayName: 'Alice Carter', roles: ['Clinician'] };
const zoe = { userId: 'z', displayName: 'Zoë Ångström', roles: ['Clinician'] };

describe('mentions', () => {
  it('finds the @word before the caret, not an address', () => {
    expect(mentionQuery('ask @fr', 7)).toEqual({ start: 4, query: 'fr' });
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQuery('mail frank@clinic', 17)).toBeNull();
    expect(mentionQuery('ask @fr now', 11)).toBeNull();
  });

  it('offers colleagues by any word of their name, ignoring case and accents', () => {
    expect(mentionCandidates([frank, alice, zoe], 'fo')).toEqual([frank]);
    expect(mentionCandidates([frank, alice, zoe], 'ang')).toEqual([zoe]);
    expect(mentionCandidates([frank, alice], '')).toEqual([frank, alice]);
  });

  it('inserts the full name and sends only the mentions still in the text', () => {
    const inserted = insertMention('ask @fr please', { start: 4, query: 'fr' }, frank);
    expect(inserted).toEqual({ text: 'ask @Frank Foster  please', caret: 18 });
    expect(mentionsIn(inserted.text, [frank, alice])).toEqual(['f']);
    expect(mentionsIn('ask please', [frank])).toEqual([]);
  });
});
