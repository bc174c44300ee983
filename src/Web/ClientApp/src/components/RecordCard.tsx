import { useEffect, useState } from 'preact/hooks';
import type { RecordCache } from '../logic/recordCache';
import { cardFields, cardName, cardState, recordLabel, withdrawnText } from '../logic/records';
import type { PatientRecord } from '../types';

/**
 * A record a message refers to. It shows the record as it is now (fetched once per session, refetched
 * when the hub says it changed), the snapshot as sent until then, and says so when the two differ.
 * live false: the viewer may not open the record (Billing staff, anything but an invoice): it shows as sent, unasked for.
 */
export function RecordCard({ sent, store, live = true }: { sent: PatientRecord; store: RecordCache; live?: boolean }) {
  const [, rerender] = useState(0);
  useEffect(() => (live ? store.watch(sent.id, () => rerender((n) => n + 1)) : undefined), [store, sent.id, live]);
  const { shown, changed, asSent, withdrawn } = live ? cardState(sent, store.current(sent.id), store.isGone(sent.id)) : cardState(sent, null, true);
  const fields = cardFields(shown);

  return (
    <article class={withdrawn ? 'record-card withdrawn' : 'record-card'} aria-label={cardName(sent.kind)}>
      <p class="record-card-head">
        <span class="record-card-kind">{recordLabel(shown)}</span>
        {changed && <span class="record-card-changed">Changed since sent</span>}
      </p>
      {withdrawn && (
        <p class="record-card-withdrawn" role="note">
          {withdrawnText}
        </p>
      )}
      {fields.length > 0 ? (
        <dl class="record-card-fields">
          {fields.map((field) => (
            <div key={field.label}>
              <dt>{field.label}</dt>
              <dd>{field.value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        !withdrawn && <p class="record-card-note">No details.</p>
      )}
      {asSent && <p class="record-card-note">As sent; no longer available to view.</p>}
    </article>
  );
}
