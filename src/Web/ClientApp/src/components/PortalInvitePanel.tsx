import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { activationApi, type InvitationChannel, type PortalInvitation, type PortalInvitationStatus } from '../activationApi';
import type { Patient } from '../types';
import { ErrorAlert } from './ErrorAlert';
import { BusyButton } from './BusyButton';
import { useFocusAfterRender } from './useFocusAfterRender';

interface Props {
  clinicId: string;
  patient: Patient;
  /** A thread prepared for an invited patient: it waits in their Inbox until they activate. */
  onStarted: (conversationId: string) => void;
  /** Opens the patient's details, where a missing email, mobile or SMS consent is added. */
  onEdit: () => void;
  /**
   * Bumped each time the keyboard is to come here, once the panel knows what can be done (the patient was chosen, or the
   * panel reopened after their details were saved); 0 leaves it where it is.
   */
  focusRequest?: number;
}

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const channelName = (channel: InvitationChannel) => (channel === 'sms' ? 'SMS' : 'email');

/** Refusals that a change to the patient's record puts right (another email address): the panel offers the editor. */
const fixedInRecord = (caught: unknown) =>
  caught instanceof ApiError && (caught.code === 'portal_account_of_another' || caught.code === 'invitation_account_mismatch');

/** What staff can do about an invitation's refusal, in their words (the server's codes from ApiErrors). */
function problem(caught: unknown): string {
  if (caught instanceof ApiError) {
    switch (caught.code) {
      case 'sms_consent_required':
        return 'Record the patient’s consent to SMS first (or the number replied STOP).';
      case 'portal_account_exists':
        return 'This patient has a portal account already. Search again to start the conversation.';
      case 'rate_limited':
        return 'Too many invitations just now. Wait a minute and try again.';
      default:
        return caught.message;
    }
  }
  return 'The invitation could not be sent. Try again.';
}

function InvitationState({ invitation }: { invitation: PortalInvitation }) {
  const sent = `by ${channelName(invitation.channel)} to ${invitation.maskedAddress} on ${when(invitation.invitedAt)}`;
  switch (invitation.state) {
    case 'pending':
      return <p>Invited {sent}. The link expires {when(invitation.expiresAt)}.</p>;
    case 'expired':
      return <p>The invitation sent {sent} expired unused.</p>;
    case 'cancelled':
      return <p>The invitation sent {sent} was cancelled.</p>;
    case 'locked':
      return <p>The invitation sent {sent} is locked: the date of birth was entered wrongly three times.</p>;
    default:
      return <p>The invitation sent {sent} has been used.</p>;
  }
}

/**
 * For a patient without a portal account: invite them (by SMS where consent is recorded, by email where an email is on
 * file), see the invitation's status, resend or cancel it, and prepare the thread while it is pending.
 */
export function PortalInvitePanel({ clinicId, patient, onStarted, onEdit, focusRequest = 0 }: Props) {
  const panel = useRef<HTMLDivElement>(null);
  const explanation = useRef<HTMLParagraphElement>(null);
  const [status, setStatus] = useState<PortalInvitationStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [editToFix, setEditToFix] = useState(false);

  useEffect(() => {
    let current = true;
    setStatus(null);
    activationApi
      .invitationStatus(clinicId, patient.id)
      .then((loaded) => current && setStatus(loaded))
      .catch((caught: unknown) => current && setError(problem(caught)));
    return () => {
      current = false;
    };
  }, [clinicId, patient.id]);

  // Waits for the status: the panel's actions come with it. When it could not be read there is none, and the explanation
  // takes the keyboard (the refusal beside it is an alert).
  const focusAfterRender = useFocusAfterRender();
  const settled = useRef(false);
  settled.current = status !== null || error !== null;
  const firstAction = () => (settled.current ? (panel.current?.querySelector<HTMLElement>('button') ?? explanation.current) : null);
  useEffect(() => {
    if (focusRequest > 0) {
      focusAfterRender(firstAction);
    }
  }, [focusRequest, focusAfterRender]); // eslint-disable-line react-hooks/exhaustive-deps -- firstAction reads refs only

  const act = async (action: () => Promise<PortalInvitation>) => {
    setBusy(true);
    setError(null);
    setEditToFix(false);
    try {
      const latest = await action();
      // Inviting swaps the invite buttons for the pending invitation's actions, and cancelling swaps them back: the button
      // pressed goes with them, and the browser drops the keyboard to the page.
      const swapped = (latest.state === 'pending') !== (status?.latest?.state === 'pending');
      setStatus((before) => (before ? { ...before, latest } : before));
      if (swapped) {
        focusAfterRender(firstAction);
      }
    } catch (caught) {
      setError(problem(caught));
      setEditToFix(fixedInRecord(caught));
    } finally {
      setBusy(false);
    }
  };

  const prepare = async () => {
    setError(null);
    try {
      onStarted((await api.startConversation(patient.id, clinicId)).id);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'Could not start the conversation.');
    }
  };

  const latest = status?.latest ?? null;
  const pending = latest?.state === 'pending';
  return (
    // One live region: what is said about the patient and their invitation is announced as it changes.
    <div class="sms-offer" role="status" ref={panel}>
      <p ref={explanation} tabIndex={-1}>
        <strong>{patient.displayName}</strong> has no patient portal account, and chat needs one.
        {status?.email && (
          <>
            {' '}
            Email on file: <strong>{status.email}</strong>.
          </>
        )}
        {patient.mobileNumber && (
          <>
            {' '}
            Mobile on file: <strong>{patient.mobileNumberDisplay ?? patient.mobileNumber}</strong>.
          </>
        )}{' '}
        Invite them: they confirm their date of birth, choose a password and find your messages in their Inbox.
      </p>
      {latest && <InvitationState invitation={latest} />}
      {status && (
        <div class="invite-actions">
          {pending ? (
            <>
              <BusyButton busy={busy} onClick={() => void prepare()}>
                Start conversation
              </BusyButton>
              <BusyButton busy={busy} onClick={() => void act(() => activationApi.resend(clinicId, patient.id))}>
                Resend
              </BusyButton>
              <BusyButton busy={busy} onClick={() => void act(() => activationApi.cancel(clinicId, patient.id))}>
                Cancel invitation
              </BusyButton>
            </>
          ) : (
            <>
              {status.smsAllowed && (
                <BusyButton busy={busy} onClick={() => void act(() => activationApi.invite(clinicId, patient.id, 'sms'))}>
                  Invite by SMS
                </BusyButton>
              )}
              {status.emailOnFile && (
                <BusyButton busy={busy} onClick={() => void act(() => activationApi.invite(clinicId, patient.id, 'email'))}>
                  Invite by email
                </BusyButton>
              )}
            </>
          )}
        </div>
      )}
      {status && !pending && !status.smsAllowed && status.mobileOnFile && (
        <p>
          To invite by SMS, record the patient’s consent to text messages first.{' '}
          <button type="button" class="link-button" onClick={onEdit}>
            Edit patient details
          </button>
        </p>
      )}
      {status && !pending && !status.smsAllowed && !status.emailOnFile && !status.mobileOnFile && (
        <p>
          Add an email address or a mobile number to the patient’s record to invite them.{' '}
          <button type="button" class="link-button" onClick={onEdit}>
            Edit patient details
          </button>
        </p>
      )}
      <ErrorAlert message={error} />
      {editToFix && (
        <p>
          <button type="button" class="link-button" onClick={onEdit}>
            Edit patient details
          </button>
        </p>
      )}
    </div>
  );
}

/**
 * Whether the thread's patient, without a portal account, has a pending invitation: then the thread can be prepared (the
 * server accepts messages, which wait in the patient's Inbox). False while unknown or not applicable.
 */
export function usePendingInvitation(thread: { clinicId: string; patientId: string; patientHasPortalAccount: boolean } | null): boolean {
  const [pending, setPending] = useState(false);
  const clinicId = thread?.clinicId;
  const patientId = thread?.patientId;
  const needsInvitation = thread !== null && !thread.patientHasPortalAccount;
  useEffect(() => {
    setPending(false);
    if (!needsInvitation || !clinicId || !patientId) {
      return;
    }
    let current = true;
    activationApi
      .invitationStatus(clinicId, patientId)
      .then((status) => current && setPending(status.latest?.state === 'pending'))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [needsInvitation, clinicId, patientId]);
  return pending;
}
