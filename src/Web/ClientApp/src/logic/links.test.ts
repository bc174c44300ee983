import { describe, expect, it } from 'vitest';
import { linkParts } from './links';

describe('linkParts', () => {
  it('makes http and https addresses links and keeps the words around them', () => {
    expect(linkParts('Forms are at https://northside.example/forms?id=7 before Friday')).toEqual([
      { kind: 'text', text: 'Forms are at ' },
      { kind: 'link', text: 'https://northside.example/forms?id=7', href: 'https://northside.example/forms?id=7' },
      { kind: 'text', text: ' before Friday' },
    ]);
  });

  it('opens a www. address over https', () => {
    expect(linkParts('see www.cdc.gov/flu')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'www.cdc.gov/flu', href: 'https://www.cdc.gov/flu' },
    ]);
  });

  it('leaves sentence punctuation and unopened brackets outside the link', () => {
    const parts = linkParts('Read https://example.org/faq. Or (https://example.org/a_(b)) then!');
    expect(parts.filter((p) => p.kind === 'link').map((p) => p.text)).toEqual(['https://example.org/faq', 'https://example.org/a_(b)']);
    expect(parts.map((p) => p.text).join('')).toBe('Read https://example.org/faq. Or (https://example.org/a_(b)) then!');
  });

  it('never makes a link of javascript:, data: or other schemes, nor of a host without a dot', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'mailto:a@b.example', 'http://localhost/x', 'https://']) {
      expect(linkParts(text)).toEqual([{ kind: 'text', text }]);
    }
  });

  it('links a host without a dot only on this app\'s own origin, as a development machine\'s emails carry it', () => {
    const text = 'Set your password here: http://localhost:5092/#/set-password/abc.def';
    expect(linkParts(text, 'http://localhost:5092')).toEqual([
      { kind: 'text', text: 'Set your password here: ' },
      { kind: 'link', text: 'http://localhost:5092/#/set-password/abc.def', href: 'http://localhost:5092/#/set-password/abc.def' },
    ]);
    expect(linkParts(text, 'http://localhost:5080')).toEqual([{ kind: 'text', text }]);
    expect(linkParts('http://intranet/x', 'https://chat.clinic.example')).toEqual([{ kind: 'text', text: 'http://intranet/x' }]);
  });

  it('keeps text without addresses as one part, and an empty text as none', () => {
    expect(linkParts('Take two tablets daily.')).toEqual([{ kind: 'text', text: 'Take two tablets daily.' }]);
    expect(linkParts('')).toEqual([]);
  });
});
