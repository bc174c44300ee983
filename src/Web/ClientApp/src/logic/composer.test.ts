import { describe, expect, it } from 'vitest';
import { characterCount, composerKeyAction, composerPlaceholder, composerProblem, problemAfterEdit, sendProblem } from './composer';

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
    expect(composerProblem('x'.repeat(4001))).toMatch(/1 character over the 4,000-character limit/);
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

describe('send problems', () => {
  it('refuses to send while a file in the tray failed, even when another one was uploaded', () => {
    const files = [
      { name: 'xray.png', state: 'uploaded' as const },
      { name: 'scan.pdf', state: 'failed' as const, error: 'Upload failed.' },
    ];
    expect(sendProblem('Here are both', files, 0)).toBe('“scan.pdf” did not upload: Upload failed. Remove or retry the failed file to send.');
  });

  it('says what is wrong with the file, not "Type a message first", when the only thing to send is a failed file', () => {
    const problem = sendProblem('', [{ name: 'huge.mov', state: 'failed', error: 'File over 25 MB — compress and retry' }], 0);
    expect(problem).toBe('“huge.mov” did not upload: File over 25 MB — compress and retry. Remove or retry the failed file to send.');
    expect(problem).not.toMatch(/Type a message/);
  });

  it('keeps a refusal on screen true to the draft as it changes', () => {
    const empty = sendProblem('', [], 0);
    const tooLong = sendProblem('x'.repeat(4005), [], 0);
    // Refused for an empty box, which stays empty: still said.
    expect(problemAfterEdit(empty, empty)).toBe(empty);
    // Send on an empty box, then too much pasted: the reason becomes the length, not "type a message first".
    expect(problemAfterEdit(empty, tooLong)).toBe(tooLong);
    // Too long, then the box emptied: nothing to refuse until the writer tries to send again.
    expect(problemAfterEdit(tooLong, empty)).toBeNull();
    // Fixed: gone. Nothing shown: nothing appears while typing.
    expect(problemAfterEdit(tooLong, sendProblem('Shorter now.', [], 0))).toBeNull();
    expect(problemAfterEdit(null, tooLong)).toBeNull();
  });

  it('sends files or cards without text, and still asks for text when there is nothing else', () => {
    expect(sendProblem('', [{ name: 'a.png', state: 'uploaded' }], 0)).toBeNull();
    expect(sendProblem('', [], 1)).toBeNull();
    expect(sendProblem('', [], 0)).toBe('Type a message first.');
    expect(sendProblem('hi', [{ name: 'a.png', state: 'uploading' }], 0)).toBe('Wait for the files to finish uploading.');
  });

  it('says how many cards to remove before a message with too many can be sent', () => {
    expect(sendProblem('Your records', [], 5)).toBeNull();
    expect(sendProblem('Your records', [], 7)).toBe('A message carries at most 5 cards: remove 2.');
  });

  it('keeps text over the limit and refuses to send it, saying by how much it is over', () => {
    expect(sendProblem('x'.repeat(4250), [], 0)).toBe('The message is 250 characters over the 4,000-character limit. Shorten it or split it to send.');
    expect(sendProblem('x'.repeat(4000), [], 0)).toBeNull();
  });

  it('shows a character count only near the limit', () => {
    expect(characterCount('x'.repeat(3599))).toBeNull();
    expect(characterCount('x'.repeat(3600))).toBe('3,600 / 4,000');
    expect(characterCount('x'.repeat(4321))).toBe('4,321 / 4,000');
  });
});
