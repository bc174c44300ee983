import { describe, expect, it } from 'vitest';
import { parseRoute } from './useHashRoute';

describe('parseRoute', () => {
  it('reads the section and the id from the hash', () => {
    expect(parseRoute('#/chat/abc')).toEqual({ section: 'chat', id: 'abc' });
    expect(parseRoute('#/inbox')).toEqual({ section: 'inbox', id: null });
    expect(parseRoute('')).toEqual({ section: '', id: null });
  });
});
