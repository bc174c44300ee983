import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { quickReplyClinics, refusalOf, splitReplies, type Refusal } from '../logic/quickReplies';
import type { Me, QuickReply } from '../types';
import { ChangeOutcome } from './ChangeOutcome';
import { ClinicPicker } from './ClinicPicker';
import { QuickReplySection, type Editing } from './QuickReplySection';

/**
 * Quick replies, per clinic: the clinic's (kept by its Admins, read by everyone else there) and the user's own (for
 * those who chat); Admins are pointed to the Clinic page for the phone {clinic.phone} stands for. What each user may
 * change follows their roles; the server decides every rule and this page shows its refusals in its words.
 */
export function QuickRepliesPage({ me }: { me: Me }) {
  const clinics = quickReplyClinics(me);
  const [clinicId, setClinicId] = useState(clinics[0]?.clinicId ?? '');
  const clinic = clinics.find((c) => c.clinicId === clinicId) ?? clinics[0];
  const [replies, setReplies] = useState<QuickReply[] | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  /** The control that opened the form just closed: focus goes back there, not to the top of the page. */
  const [returnFocusTo, setReturnFocusTo] = useState<string | null>(null);
  const shownClinic = useRef(clinicId);
  shownClinic.current = clinicId;

  const load = async () => {
    const asked = clinicId;
    try {
      const list = await api.quickReplies(asked);
      // An answer for a clinic no longer chosen is dropped.
      if (shownClinic.current === asked) {
        setReplies(list);
      }
    } catch (caught) {
      if (shownClinic.current === asked) {
        setError(refusalOf(caught, 'The quick replies could not be loaded.').message);
      }
    }
  };

  useEffect(() => {
    setReplies(null);
    setEditing(null);
    setError(null);
    setStatus('');
    void load();
  }, [clinicId]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (returnFocusTo && replies) {
      document.getElementById(returnFocusTo)?.focus();
      setReturnFocusTo(null);
    }
  }, [returnFocusTo, replies]);

  const close = (closed: Editing) => {
    setEditing(null);
    if (closed) {
      setReturnFocusTo(closed.mode === 'new' ? `quick-reply-add-${closed.personal ? 'mine' : 'clinic'}` : `quick-reply-edit-${closed.replyId}`);
    }
  };

  const edit = (next: Editing) => {
    setStatus('');
    setError(null);
    if (next) {
      setEditing(next);
    } else {
      close(editing);
    }
  };

  const save = async (target: Exclude<Editing, null>, shortcut: string, text: string): Promise<Refusal | null> => {
    try {
      const saved =
        target.mode === 'new'
          ? await api.addQuickReply(clinicId, shortcut, text, target.personal)
          : await api.changeQuickReply(clinicId, target.replyId, shortcut, text);
      close(target.mode === 'new' ? target : { mode: 'edit', replyId: saved.id });
      setStatus(target.mode === 'new' ? `Added /${saved.shortcut}.` : `Saved /${saved.shortcut}.`);
      await load();
      return null;
    } catch (caught) {
      const refusal = refusalOf(caught, 'The reply could not be saved. Try again.');
      if (caught instanceof ApiError && caught.code === 'not_found') {
        // Deleted meanwhile (on another device): there is nothing left to edit.
        setEditing(null);
        setError(refusal.message);
        await load();
        return null;
      }
      return refusal;
    }
  };

  const remove = async (reply: QuickReply) => {
    setStatus('');
    setError(null);
    try {
      await api.deleteQuickReply(clinicId, reply.id);
      setStatus(`Deleted /${reply.shortcut}.`);
    } catch (caught) {
      setError(refusalOf(caught, 'The reply could not be deleted. Try again.').message);
    }
    await load();
  };

  if (!clinic) {
    return (
      <section class="staff-admin" aria-labelledby="quick-replies-title">
        <h1 id="quick-replies-title">Quick replies</h1>
        <p class="empty">Quick replies are for the clinicians, front desk and Admins of a clinic.</p>
      </section>
    );
  }

  const { clinic: clinicReplies, mine } = splitReplies(replies ?? []);
  return (
    <section class="staff-admin quick-replies" aria-labelledby="quick-replies-title">
      <h1 id="quick-replies-title">Quick replies</h1>
      <p class="setting-help">Type “/” and a reply’s shortcut in a message to insert it, filled in for the patient, ready to read over before you send it.</p>
      <ClinicPicker clinics={clinics} value={clinic.clinicId} onChange={setClinicId} layout="stacked" />
      <ChangeOutcome error={error} status={status} />
      {clinic.setsClinicPhone && (
        <p class="setting-help">
          The clinic phone that {'{clinic.phone}'} stands for is set on the <a href="#/clinic">Clinic</a> page.
        </p>
      )}
      {replies === null ? (
        !error && <p class="loading">Loading…</p>
      ) : (
        <>
          <QuickReplySection
            personal={false}
            replies={clinicReplies}
            editable={clinic.editsClinicReplies}
            editing={editing}
            onEdit={edit}
            onSave={save}
            onDelete={(reply) => void remove(reply)}
          />
          {clinic.keepsOwnReplies && (
            <QuickReplySection personal replies={mine} editable editing={editing} onEdit={edit} onSave={save} onDelete={(reply) => void remove(reply)} />
          )}
        </>
      )}
    </section>
  );
}
