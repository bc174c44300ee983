import { describe, expect, it } from 'vitest';
import { composerKeyAction, composerProblem } from './composer';

describe('composer keys', () => {
  it('sends on Enter and inserts a new line on Shift+Enter', () => {
    expect(composerKeyAction({ key: 'Enter', shiftKey: false })).toBe('send');
    expect(composerKeyAction({ key: 'Enter', shiftKey: true })).toBe('newline');
  });

  it('leaves other keys and IME composition alone', () => {
    expect(composerKeyAction({ key: 'a', shiftKey: false })).toBeNull();
    expect(composerKeyAction({ key: 'Enter', shiftKey: false, isComposing: true })).toBeNull();
  });

  it('refuses empty and oversized messages with a reason', () => {
    expect(composerProblem('   \n')).toMatch(/Type a message/);
    expect(composerProblem('x'.repeat(4001))).toMatch(/4000/);
    expect(composerProblem('hello')).toBeNull();
  });
});
