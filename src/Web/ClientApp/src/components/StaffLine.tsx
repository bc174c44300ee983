import { shortTime } from '../logic/format';
import { teamLineText } from '../logic/team';
import type { StaffItem } from '../types';

/** A line in the thread only the clinic's staff see: a system line about its status or assignee, or a note. */
export function StaffLine({ item }: { item: StaffItem }) {
  if (item.kind === 'note') {
    return (
      <article class="note" aria-label={`Internal note by ${item.actorName}`}>
        <p class="note-meta">
          <span class="note-tag">Internal note</span> {item.actorName} <time dateTime={item.at}>{shortTime(item.at)}</time>
        </p>
        <p class="note-text">{withMentions(item.text ?? '', item.mentions.map((m) => m.displayName))}</p>
      </article>
    );
  }
  return (
    <p class="staff-line" role="note">
      <span class="visually-hidden">Only staff see this: </span>
      {teamLineText(item)}
      <time dateTime={item.at}> · {shortTime(item.at)}</time>
    </p>
  );
}

/** The note's text with each "@Name" it mentions marked (as text: nothing in a note is ever interpreted as markup). */
function withMentions(text: string, names: readonly string[]) {
  if (names.length === 0) {
    return text;
  }
  const pattern = new RegExp(`(${names.map((n) => `@${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).join('|')})`, 'g');
  return text.split(pattern).map((part, index) => (index % 2 === 1 ? <mark key={index} class="mention">{part}</mark> : part));
}
