/** A run of a message's text: words as they are, or a web address to open. */
export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// A web address as people type it: with its scheme, or starting "www.". Anything else (javascript:, data:, mailto:,
// a bare domain) stays text: a message must never carry something that runs or surprises when clicked.
const candidate = /\b(?:https?:\/\/|www\.)[^\s<>"]+/giu;

// Sentence punctuation after an address is not part of it ("see https://example.org/faq."); a closing bracket is,
// only when the address opened one (Wikipedia-style "…/Foo_(bar)").
const trailing = /[.,;:!?'"»”’]+$/u;

/**
 * Splits a message's text into words and web addresses; only http(s) addresses become links. A host without a dot is
 * a link only on this app's own origin (`ownOrigin`): a development machine's http://localhost:5092
 * links in the development outbox's emails, while a bare "http://intranet/" in a message stays text.
 */
export function linkParts(text: string, ownOrigin?: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of text.matchAll(candidate)) {
    const raw = trimAddress(match[0]);
    const href = hrefOf(raw, ownOrigin);
    if (!href) {
      continue;
    }
    if (match.index > at) {
      parts.push({ kind: 'text', text: text.slice(at, match.index) });
    }
    parts.push({ kind: 'link', text: raw, href });
    at = match.index + raw.length;
  }
  if (at < text.length) {
    parts.push({ kind: 'text', text: text.slice(at) });
  }
  return parts;
}

function trimAddress(address: string): string {
  let trimmed = address.replace(trailing, '');
  while (trimmed.endsWith(')') && count(trimmed, '(') < count(trimmed, ')')) {
    trimmed = trimmed.slice(0, -1).replace(trailing, '');
  }
  return trimmed;
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

/** The address to open, or null when it is not a well-formed http(s) URL with a host (with a dot, or this app's own). */
function hrefOf(address: string, ownOrigin: string | undefined): string | null {
  try {
    const url = new URL(/^www\./iu.test(address) ? `https://${address}` : address);
    const hostIsNamed = url.hostname.includes('.') || url.origin === ownOrigin;
    return (url.protocol === 'https:' || url.protocol === 'http:') && hostIsNamed ? url.href : null;
  } catch {
    return null;
  }
}
