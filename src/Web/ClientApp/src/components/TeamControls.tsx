import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { notSavedText } from '../logic/connection';
import { statusLabel } from '../logic/team';
import { colleaguesFor, isTopic, topicLabel, topicOf, topics } from '../logic/topics';
import type { Colleague, Me, Thread, ThreadStatus, ThreadTeam } from '../types';
import { BusyButton } from './BusyButton';
import { ChoiceSelect } from './ChoiceSelect';
import { useFocusAfterRender } from './useFocusAfterRender';
import { colleaguesOf } from './colleagues';

const statuses: ThreadStatus[] = ['open', 'waiting', 'closed'];

/**
 * Staff: who has the thread, where it stands and what it is about. Each change is made on the assignment shown, so two
 * colleagues taking the same thread at once cannot overwrite each other: the second is told who has it. The topic routes
 * the thread: only a thread about billing is shared with the clinic's Billing staff, so only there are they offered.
 */
export function TeamControls({ thread, me, onChanged }: { thread: Thread; me: Me; onChanged: (team: ThreadTeam) => void }) {
  const [colleagues, setColleagues] = useState<Colleague[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const team = thread.team ?? { status: 'open' as const, assignee: null };

  useEffect(() => {
    let current = true;
    colleaguesOf(thread.clinicId).then(
      (list) => current && setColleagues(list),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [thread.clinicId]);

  // The controls stay focusable while a change is saved; only a button that goes away with its change ("Take it" once
  // taken, "Mark done" once done) hands the keyboard focus on, to the select that now shows the change.
  const controls = useRef<HTMLDivElement>(null);
  const focusAfterRender = useFocusAfterRender();

  const run = async (change: () => Promise<ThreadTeam>, thenFocus: string | null = null) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await change());
      if (thenFocus) {
        focusAfterRender(() => controls.current?.querySelector<HTMLElement>(`[data-control="${thenFocus}"]`));
      }
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'assignment_changed') {
        setError(caught.message || 'A colleague changed the assignment a moment ago.');
        // Show what holds now, so the next choice is made on it.
        await api.thread(thread.id).then((fresh) => fresh.team && onChanged(fresh.team), () => undefined);
      } else if (caught instanceof ApiError && (caught.code === 'validation_failed' || caught.code === 'forbidden')) {
        // The server's own words: whom a thread about this topic may be assigned to, who may route it.
        setError(caught.message);
      } else {
        setError(notSavedText(caught, 'Could not save the change. Try again.'));
      }
    } finally {
      setBusy(false);
    }
  };

  const topic = topicOf(thread);
  const others = colleaguesFor(colleagues, topic).filter((c) => c.userId !== me.userId);
  const assignee = team.assignee;
  const assigneeListed = !assignee || assignee.userId === me.userId || others.some((c) => c.userId === assignee.userId);

  return (
    <div class="team-controls" ref={controls}>
      <label>
        Assigned to
        <ChoiceSelect
          value={assignee?.userId ?? ''}
          control="assignee"
          busy={busy}
          onChoose={(chosen) => void run(() => api.assign(thread.id, chosen || null, assignee?.userId ?? null))}
        >
          <option value="">Unassigned</option>
          <option value={me.userId}>Me ({me.displayName})</option>
          {others.map((c) => (
            <option key={c.userId} value={c.userId}>
              {c.displayName}
            </option>
          ))}
          {!assigneeListed && assignee && <option value={assignee.userId}>{assignee.displayName}</option>}
        </ChoiceSelect>
      </label>
      <label>
        Status
        <ChoiceSelect value={team.status} control="status" busy={busy} onChoose={(status) => void run(() => api.setStatus(thread.id, status as ThreadStatus))}>
          {statuses.map((status) => (
            <option key={status} value={status}>
              {statusLabel(status)}
            </option>
          ))}
        </ChoiceSelect>
      </label>
      <label>
        Topic
        <ChoiceSelect value={topic ?? 'none'} control="topic" busy={busy} onChoose={(chosen) => void run(() => api.setTopic(thread.id, isTopic(chosen) ? chosen : 'none'))}>
          <option value="none">None</option>
          {topics.map((t) => (
            <option key={t} value={t}>
              {topicLabel(t, 'staff')}
            </option>
          ))}
        </ChoiceSelect>
      </label>
      {assignee?.userId !== me.userId && (
        <BusyButton class="link-button" busy={busy} onClick={() => void run(() => api.assign(thread.id, me.userId, assignee?.userId ?? null), 'assignee')}>
          Take it
        </BusyButton>
      )}
      {team.status !== 'closed' && (
        <BusyButton class="link-button" busy={busy} onClick={() => void run(() => api.setStatus(thread.id, 'closed'), 'status')}>
          Mark done
        </BusyButton>
      )}
      {error && (
        <p class="team-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
