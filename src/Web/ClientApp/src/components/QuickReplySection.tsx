import { useState } from 'preact/hooks';
import type { Refusal } from '../logic/quickReplies';
import type { QuickReply } from '../types';
import { QuickReplyForm } from './QuickReplyForm';

/** The one form open on the page: a new reply in a list, or an existing one being edited. */
export type Editing = { mode: 'new'; personal: boolean } | { mode: 'edit'; replyId: string } | null;

interface Props {
  /** The clinic's list or the user's own. */
  personal: boolean;
  replies: QuickReply[];
  /** Whether the user may add, edit and delete in this list (the server decides anyway). */
  editable: boolean;
  editing: Editing;
  onEdit: (editing: Editing) => void;
  onSave: (target: Exclude<Editing, null>, shortcut: string, text: string) => Promise<Refusal | null>;
  onDelete: (reply: QuickReply) => void;
}

/** "Clinic replies" or "My replies": the list, with an add button and in-place forms for whoever may change it. */
export function QuickReplySection({ personal, replies, editable, editing, onEdit, onSave, onDelete }: Props) {
  const scope = personal ? 'mine' : 'clinic';
  const titleId = `quick-replies-${scope}-title`;
  const adding = editing?.mode === 'new' && editing.personal === personal;
  return (
    <section class="reply-section" aria-labelledby={titleId}>
      <h2 id={titleId}>{personal ? 'My replies' : 'Clinic replies'}</h2>
      <p class="setting-help">
        {personal
          ? 'Only you see and use these.'
          : editable
            ? 'Everyone who chats at the clinic can use these.'
            : 'The clinic’s Admins keep these; you can use them in any conversation.'}
      </p>
      {editable &&
        (adding ? (
          <QuickReplyForm
            name={personal ? 'New personal reply' : 'New clinic reply'}
            initial={{ shortcut: '', text: '' }}
            submitLabel="Add reply"
            onSave={(shortcut, text) => onSave({ mode: 'new', personal }, shortcut, text)}
            onCancel={() => onEdit(null)}
          />
        ) : (
          <p>
            <button type="button" id={`quick-reply-add-${scope}`} onClick={() => onEdit({ mode: 'new', personal })}>
              {personal ? 'Add my reply' : 'Add clinic reply'}
            </button>
          </p>
        ))}
      {replies.length === 0 ? (
        <p class="empty">{personal ? 'No replies of your own yet.' : 'No clinic replies yet.'}</p>
      ) : (
        <ul class="staff-list" aria-labelledby={titleId}>
          {replies.map((reply) =>
            editing?.mode === 'edit' && editing.replyId === reply.id ? (
              <li key={reply.id} class="staff-item">
                <QuickReplyForm
                  name={`Edit ${personal ? 'my' : 'clinic'} reply /${reply.shortcut}`}
                  initial={{ shortcut: reply.shortcut, text: reply.text }}
                  submitLabel="Save reply"
                  onSave={(shortcut, text) => onSave({ mode: 'edit', replyId: reply.id }, shortcut, text)}
                  onCancel={() => onEdit(null)}
                />
              </li>
            ) : (
              <ReplyRow key={reply.id} reply={reply} editable={editable} onEdit={() => onEdit({ mode: 'edit', replyId: reply.id })} onDelete={() => onDelete(reply)} />
            ),
          )}
        </ul>
      )}
    </section>
  );
}

function ReplyRow({ reply, editable, onEdit, onDelete }: { reply: QuickReply; editable: boolean; onEdit: () => void; onDelete: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const whose = reply.personal ? 'my' : 'clinic';
  const shortcut = `/${reply.shortcut}`;
  return (
    <li class="staff-item">
      <p class="staff-name">
        <strong class="reply-shortcut">{shortcut}</strong>
      </p>
      <p class="reply-text">{reply.text}</p>
      {editable && (
        <div class="staff-actions">
          {confirming ? (
            <span role="group" aria-label={`Confirm deleting ${shortcut}`}>
              Delete {shortcut}? {reply.personal ? 'It cannot be undone.' : 'Nobody at the clinic can use it after this.'}{' '}
              <button
                type="button"
                class="danger"
                onClick={() => {
                  setConfirming(false);
                  onDelete();
                }}
              >
                Yes, delete
              </button>{' '}
              <button type="button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <>
              <button type="button" id={`quick-reply-edit-${reply.id}`} aria-label={`Edit ${whose} reply ${shortcut}`} onClick={onEdit}>
                Edit
              </button>
              <button type="button" aria-label={`Delete ${whose} reply ${shortcut}`} onClick={() => setConfirming(true)}>
                Delete
              </button>
            </>
          )}
        </div>
      )}
    </li>
  );
}
