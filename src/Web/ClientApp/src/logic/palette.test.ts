import { describe, expect, it } from 'vitest';
import type { FilledQuickReply } from '../types';
import { insertQuickReply, paletteKeyAction, paletteView, replaceToken, slashTokenAt, type PaletteView } from './palette';

const reply = (shortcut: string, text: string, personal = false, unfilled: string[] = []): FilledQuickReply => ({
  id: `id-${shortcut}-${personal}`,
  shortcut,
  personal,
  text,
  unfilled,
});

const replies = [
  reply('greet', 'Hi Robin, thanks for your message.'),
  reply('greet', 'Hello Robin!', true),
  reply('hours', 'Northside is open 8–6. Call {clinic.phone}.', false, ['{clinic.phone}']),
  reply('invoice-help', 'You can pay online.', true),
];

/** What the first list shows, in order: "/appt" for a command, "/greet Clinic" for a reply. */
const listed = (view: PaletteView) =>
  view.stage === 'commands'
    ? view.entries.map((entry) => (entry.kind === 'command' ? entry.shortcut.command : `/${entry.reply.shortcut} ${entry.reply.personal ? 'Mine' : 'Clinic'}`))
    : view.stage;

describe('the slash word under the caret', () => {
  it('is found at the start of the draft or after whitespace', () => {
    expect(slashTokenAt('/ap', 3)).toEqual({ start: 0, end: 3, text: '/ap' });
    expect(slashTokenAt('See you\n/inv', 12)).toEqual({ start: 8, end: 12, text: '/inv' });
    expect(slashTokenAt('See /appt today', 7)).toEqual({ start: 4, end: 9, text: '/appt' });
  });

  it('is not found inside other words, paths and links, or with the caret before the slash', () => {
    expect(slashTokenAt('1/2', 3)).toBeNull();
    expect(slashTokenAt('and/or', 6)).toBeNull();
    expect(slashTokenAt('/a/b', 4)).toBeNull();
    expect(slashTokenAt('https://example.org', 19)).toBeNull();
    expect(slashTokenAt('/appt', 0)).toBeNull();
    expect(slashTokenAt('/appt ', 6)).toBeNull();
  });

  it('is replaced by the chosen command, or removed with the space after it', () => {
    const token = slashTokenAt('See /a today', 6)!;
    expect(replaceToken('See /a today', token, '/appt')).toEqual({ text: 'See /appt today', caret: 9 });
    expect(replaceToken('See /appt today', slashTokenAt('See /appt today', 9)!, '')).toEqual({ text: 'See today', caret: 4 });
    expect(replaceToken('/appt', slashTokenAt('/appt', 5)!, '')).toEqual({ text: '', caret: 0 });
  });
});

describe('paletteView', () => {
  it('lists the matching commands, and closes when none match', () => {
    expect(paletteView('/in', 3, null, null)).toMatchObject({ stage: 'commands', entries: [{ kind: 'command', shortcut: { command: '/invoice' } }] });
    expect(paletteView('/zz', 3, null, null)).toEqual({ stage: 'closed' });
    // Billing staff attach invoices only: the other commands are not offered, so their records are never asked for.
    expect(paletteView('/', 1, null, null, undefined, ['invoice'])).toMatchObject({ stage: 'commands', entries: [{ kind: 'command', shortcut: { command: '/invoice' } }] });
    expect(paletteView('/appt', 5, null, null, undefined, ['invoice'])).toEqual({ stage: 'closed' });
    expect(paletteView('hello', 5, null, null)).toEqual({ stage: 'closed' });
  });

  it('lists records once a command is chosen, and goes back to commands when the word is edited', () => {
    const chosen = { start: 0, kind: 'appointment' as const };
    expect(paletteView('/appt', 5, null, chosen)).toMatchObject({ stage: 'records', shortcut: { kind: 'appointment' } });
    expect(paletteView('/app', 4, null, chosen)).toMatchObject({ stage: 'commands' });
  });

  it('searches the records with the words typed after the chosen command, on its line', () => {
    const chosen = { start: 4, kind: 'prescription' as const };
    const text = 'See /rx ibu 4';
    expect(paletteView(text, text.length, null, chosen)).toEqual({
      stage: 'records',
      token: { start: 4, end: text.length, text: '/rx ibu 4' },
      shortcut: expect.objectContaining({ kind: 'prescription' }),
      query: 'ibu 4',
    });
    expect(paletteView('See /rx ', 8, null, chosen)).toMatchObject({ stage: 'records', query: '' });
    expect(paletteView('See /rx\nibu', 11, null, chosen)).toEqual({ stage: 'closed' });
    expect(paletteView('See /rxibu', 10, null, chosen)).toEqual({ stage: 'closed' });
    expect(paletteView('See /rx ibu', 11, 4, chosen)).toEqual({ stage: 'closed' });
  });

  it('stays closed after Escape until that word is gone', () => {
    expect(paletteView('/ap', 3, 0, null)).toEqual({ stage: 'closed' });
    expect(paletteView('x /ap', 5, 0, null)).toMatchObject({ stage: 'commands' });
  });
});

describe('palette keys', () => {
  const key = (k: string, extra: { shiftKey?: boolean; isComposing?: boolean } = {}) => ({ key: k, ...extra });

  it('moves with the arrows and wraps around at both ends', () => {
    expect(paletteKeyAction(key('ArrowDown'), 0, 3)).toEqual({ type: 'move', active: 1 });
    expect(paletteKeyAction(key('ArrowDown'), 2, 3)).toEqual({ type: 'move', active: 0 });
    expect(paletteKeyAction(key('ArrowUp'), 0, 3)).toEqual({ type: 'move', active: 2 });
    expect(paletteKeyAction(key('ArrowUp'), 0, 0)).toEqual({ type: 'move', active: 0 });
  });

  it('chooses on Enter instead of sending, even when there is nothing to choose', () => {
    expect(paletteKeyAction(key('Enter'), 1, 3)).toEqual({ type: 'choose', index: 1 });
    expect(paletteKeyAction(key('Enter'), 5, 3)).toEqual({ type: 'choose', index: 2 });
    expect(paletteKeyAction(key('Enter'), 0, 0)).toEqual({ type: 'none' });
  });

  it('closes on Escape and leaves other keys, Shift+Enter and IME composition to the textarea', () => {
    expect(paletteKeyAction(key('Escape'), 0, 3)).toEqual({ type: 'close' });
    expect(paletteKeyAction(key('a'), 0, 3)).toBeNull();
    expect(paletteKeyAction(key('Enter', { shiftKey: true }), 0, 3)).toBeNull();
    expect(paletteKeyAction(key('Enter', { isComposing: true }), 0, 3)).toBeNull();
  });
});

describe('the palette with quick replies', () => {
  it('lists the commands first, then the replies, for "/" alone', () => {
    expect(listed(paletteView('/', 1, null, null, { items: replies, loading: false }))).toEqual([
      '/appt',
      '/invoice',
      '/rx',
      '/greet Clinic',
      '/greet Mine',
      '/hours Clinic',
      '/invoice-help Mine',
    ]);
  });

  it('narrows commands and replies alike by prefix of the typed word, in any case', () => {
    expect(listed(paletteView('/GR', 3, null, null, { items: replies, loading: false }))).toEqual(['/greet Clinic', '/greet Mine']);
    expect(listed(paletteView('/inv', 4, null, null, { items: replies, loading: false }))).toEqual(['/invoice', '/invoice-help Mine']);
    expect(listed(paletteView('See you. /h', 11, null, null, { items: replies, loading: false }))).toEqual(['/hours Clinic']);
  });

  it('closes on a word that matches neither, so it is sent as typed', () => {
    expect(paletteView('/greetings', 10, null, null, { items: replies, loading: false })).toEqual({ stage: 'closed' });
    expect(paletteView('/zz', 3, null, null, { items: replies, loading: false })).toEqual({ stage: 'closed' });
  });

  it('stays open, empty, while the replies load and the word could still be a shortcut, so Enter cannot send it', () => {
    expect(listed(paletteView('/gr', 3, null, null, { items: [], loading: true }))).toEqual([]);
    expect(paletteView('/gr', 3, null, null, { items: [], loading: true })).toMatchObject({ stage: 'commands', token: { start: 0, end: 3 } });
    expect(paletteView('/gr_x', 5, null, null, { items: [], loading: true })).toEqual({ stage: 'closed' });
    expect(paletteView('/gr', 3, 0, null, { items: [], loading: true })).toEqual({ stage: 'closed' });
  });

  it('offers no replies while a chosen command lists its records', () => {
    expect(paletteView('/rx', 3, null, { start: 0, kind: 'prescription' }, { items: [reply('rx-refill', 'x')], loading: false })).toMatchObject({ stage: 'records' });
  });
});

describe('inserting a quick reply', () => {
  it('replaces the "/word" with the text and puts the caret after it', () => {
    const text = 'Thanks! /gr';
    expect(insertQuickReply(text, slashTokenAt(text, 11)!, 'Hi Robin, see you soon.')).toEqual({ text: 'Thanks! Hi Robin, see you soon.', caret: 31, dismissedAt: null });
  });

  it('keeps what follows the word, and the caret before it', () => {
    const text = '/gr\nBest, Dr Lee';
    expect(insertQuickReply(text, slashTokenAt(text, 3)!, 'Hello Robin.')).toEqual({ text: 'Hello Robin.\nBest, Dr Lee', caret: 12, dismissedAt: null });
  });

  it('leaves a reply that ends in a "/word" alone rather than opening the palette on it', () => {
    expect(insertQuickReply('/faq', slashTokenAt('/faq', 4)!, 'See our page /faq')).toEqual({ text: 'See our page /faq', caret: 17, dismissedAt: 13 });
  });
});
