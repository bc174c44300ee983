import { describe, expect, it } from 'vitest';
import { composerKeyAction, composerPlaceholder, composerProblem } from './composer';

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

describe('composer placeholder', () => {
  const plain = { blocked: false, sensitive: false, shortcuts: true, speakingAs: null };
  const asNorthside = { ...plain, speakingAs: { patientName: 'Pat Portal', clinicName: 'Northside Family Dental' } };

  it('names the patient and the clinic for staff of several clinics', () => {
    expect(composerPlaceholder(asNorthside)).toBe('Message Pat Portal as Northside Family Dental (/ for shortcuts)');
    expect(composerPlaceholder({ ...asNorthside, sensitive: true })).toBe('Sensitive message to Pat Portal as Northside Family Dental');
  });

  it('stays plain for everyone else, and empty when the composer is blocked', () => {
    expect(composerPlaceholder(plain)).toBe('Write a message… (/ for shortcuts)');
    expect(composerPlaceholder({ ...plain, shortcuts: false })).toBe('Write a message…');
    expect(composerPlaceholder({ ...plain, sensitive: true })).toBe('Write a sensitive message…');
    expect(composerPlaceholder({ ...asNorthside, blocked: true })).toBe('');
  });
});
