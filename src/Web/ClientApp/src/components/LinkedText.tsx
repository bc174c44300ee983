import { linkParts } from '../logic/links';

/**
 * The text with its web addresses as links. They open in a new tab that cannot reach back into the chat
 * (noopener) nor tell the site where the reader came from (noreferrer); only http(s) addresses are links.
 */
export function LinkedText({ text }: { text: string }) {
  return (
    <>
      {linkParts(text, location.origin).map((part, i) =>
        part.kind === 'link' ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
