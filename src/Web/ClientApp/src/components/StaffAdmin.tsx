import { useEffect, useRef, useState } from 'preact/hooks';
import { roleName, rolesOf } from '../logic/roles';
import { staffProblem } from '../logic/staffErrors';
import { staffApi, staffRoles, type StaffInvitation, type StaffMember, type StaffRole, type StaffRoster } from '../staffApi';
import type { Me } from '../types';
import { ChangeOutcome } from './ChangeOutcome';
import { ClinicPicker } from './ClinicPicker';
import { ErrorAlert } from './ErrorAlert';
import { BusyButton } from './BusyButton';
import { ConfirmedButton, ConfirmInPlace } from './ConfirmedButton';
import { useModalDialog } from './useModalDialog';
import { focusIsLost, useFocusAfterRender } from './useFocusAfterRender';

const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : 'Never');

/**
 * A clinic Admin's staff page: members with role, status and last sign-in; invitations waiting, with their expiry;
 * invite, resend, revoke, change a role, deactivate (after a confirmation) and reactivate. The server decides every
 * rule (only Admins; never the last Admin) and this page says what it refused and why.
 */
export function StaffAdmin({ me }: { me: Me }) {
  const clinics = rolesOf(me).adminClinics;
  const [clinicId, setClinicId] = useState(clinics[0]?.clinicId ?? '');
  const [roster, setRoster] = useState<StaffRoster | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [inviting, setInviting] = useState(false);
  const page = useRef<HTMLElement>(null);
  const invite = useRef<HTMLButtonElement>(null);
  const focusAfterRender = useFocusAfterRender();

  const load = () =>
    staffApi.roster(clinicId).then(
      (loaded) => setRoster(loaded),
      (caught: unknown) => setError(staffProblem(caught, 'The staff list could not be loaded.')),
    );
  useEffect(() => {
    void load();
  }, [clinicId]); // eslint-disable-line react-hooks/exhaustive-deps

  /**
   * One change: its outcome is announced, the list reloaded either way (someone else may have changed it too). The button
   * pressed often goes with its change ("Yes, deactivate" with its question, "Reactivate" once reactivated, a revoked
   * invitation's whole row), and the browser dropped the keyboard focus to the page (found on a walk): it goes to the
   * first control of the row's `focusNext` (accessible names: two members may share a name) still on the page, else to
   * "Invite staff".
   */
  const act = async (action: () => Promise<unknown>, done: string, failed: string, focusNext?: FocusNext) => {
    setError(null);
    setStatus(null);
    try {
      await action();
      setStatus(done);
    } catch (caught) {
      setError(staffProblem(caught, failed));
    }
    await load();
    focusAfterRender(() => {
      if (!focusIsLost()) {
        return document.activeElement as HTMLElement;
      }
      const row = focusNext ? page.current?.querySelector(`[data-row="${CSS.escape(focusNext.row)}"]`) : null;
      const named = focusNext?.names.map((name) => row?.querySelector<HTMLElement>(`[aria-label="${CSS.escape(name)}"]`)).find((found) => found);
      return named ?? invite.current;
    });
  };

  return (
    <section class="staff-admin" aria-labelledby="staff-admin-title" ref={page}>
      <h1 id="staff-admin-title">Staff</h1>
      <ClinicPicker clinics={clinics} value={clinicId} onChange={setClinicId} layout="inline" />
      <p>
        <button type="button" ref={invite} onClick={() => setInviting(true)}>
          Invite staff
        </button>
      </p>
      {/* Sticks to the top of the page while it scrolls: a change is confirmed on a row far down the list, and its
          outcome must be seen there (found on a walk at phone width). */}
      <div class="staff-outcome">
        <ChangeOutcome error={error} status={status} />
      </div>
      {inviting && (
        <InviteDialog
          clinicId={clinicId}
          onClose={(sentTo) => {
            setInviting(false);
            if (sentTo) {
              setStatus(`Invitation sent to ${sentTo}.`);
              void load();
            }
          }}
        />
      )}
      {roster && (
        <>
          <h2 id="staff-members-title">Members</h2>
          <ul class="staff-list" aria-labelledby="staff-members-title">
            {roster.members.map((m) => (
              <MemberRow key={m.userId} member={m} isMe={m.userId === me.userId} clinicId={clinicId} act={act} />
            ))}
          </ul>
          <h2 id="staff-invitations-title">Invitations</h2>
          {roster.invitations.length === 0 ? (
            <p class="empty">No invitations waiting.</p>
          ) : (
            <ul class="staff-list" aria-labelledby="staff-invitations-title">
              {roster.invitations.map((i) => (
                <InvitationRow key={i.id} invitation={i} clinicId={clinicId} act={act} />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

/** Where the keyboard goes after a change: a row (`data-row`) and the names of its controls, the first one present. */
interface FocusNext {
  row: string;
  names: string[];
}

type Act = (action: () => Promise<unknown>, done: string, failed: string, focusNext?: FocusNext) => Promise<void>;

/** Every role a clinic's staff may have, as the options of a select. */
function RoleOptions() {
  return (
    <>
      {staffRoles.map((r) => (
        <option key={r} value={r}>
          {roleName(r)}
        </option>
      ))}
    </>
  );
}

function MemberRow({ member, isMe, clinicId, act }: { member: StaffMember; isMe: boolean; clinicId: string; act: Act }) {
  const active = member.status === 'active';
  // Several roles at one clinic (an older account) show as the first; choosing one makes it the only one.
  const role = member.roles[0] ?? 'Clinician';
  // A role chosen in the select waits for a Yes: a change signs the member out, and one arrow key on a focused select
  // changes its value (found on a walk).
  const [chosenRole, setChosenRole] = useState<StaffRole | null>(null);
  // Cancel goes with its question: the keyboard goes back to the select the question came from.
  const roleSelect = useRef<HTMLSelectElement>(null);
  const focusAfterRender = useFocusAfterRender();
  return (
    <li class={active ? 'staff-item' : 'staff-item deactivated'} aria-label={member.displayName} data-row={member.userId}>
      <p class="staff-name">
        <strong>{member.displayName}</strong>
        {isMe && ' (you)'} <span class="staff-email">{member.email}</span>
      </p>
      <p class="staff-facts">
        {active ? 'Active' : 'Deactivated'} · Last sign-in: {when(member.lastSignInAt)}
      </p>
      {active ? (
        <div class="staff-actions">
          <label>
            Role{' '}
            <select
              ref={roleSelect}
              aria-label={`Role of ${member.displayName}`}
              value={chosenRole ?? role}
              onChange={(e) => {
                const next = e.currentTarget.value as StaffRole;
                setChosenRole(next === role ? null : next);
              }}
            >
              <RoleOptions />
            </select>
          </label>
          {chosenRole && (
            <ConfirmInPlace
              label={`make ${member.displayName} ${roleName(chosenRole)}`}
              question={`Make ${member.displayName} ${roleName(chosenRole)}? They are signed out everywhere and sign in again with the new role.`}
              confirmText="Yes, change the role"
              onConfirm={() => {
                setChosenRole(null);
                void act(
                  () => staffApi.changeRole(clinicId, member.userId, chosenRole),
                  `${member.displayName} is now ${roleName(chosenRole)}; they must sign in again.`,
                  'The role could not be changed.',
                  { row: member.userId, names: [`Role of ${member.displayName}`] },
                );
              }}
              onCancel={() => {
                setChosenRole(null);
                focusAfterRender(() => roleSelect.current);
              }}
            />
          )}
          <ConfirmedButton
            label={`Deactivate ${member.displayName}`}
            question={
              isMe
                ? 'Deactivate your own account? You are signed out everywhere at once and cannot sign in again until another Admin reactivates you; what you wrote stays.'
                : `Deactivate ${member.displayName}? They are signed out everywhere at once; what they wrote stays.`
            }
            confirmText="Yes, deactivate"
            onConfirm={() =>
              act(() => staffApi.deactivate(clinicId, member.userId), `${member.displayName} was deactivated.`, 'The member could not be deactivated.', {
                row: member.userId,
                names: [`Reactivate ${member.displayName}`, `Deactivate ${member.displayName}`],
              })
            }
          />
          {/* A lost phone and lost recovery codes: nothing else lets the member in again. An Admin's own is on their Security page. */}
          {!isMe && member.twoStepOn && (
            <ConfirmedButton
              label={`Reset two-step sign-in of ${member.displayName}`}
              text="Reset two-step sign-in"
              question={`Turn off ${member.displayName}'s two-step sign-in? Do this only when you know it is them asking (their phone and recovery codes are lost). They are signed out everywhere and told by email, sign in with their password, and set up an authenticator again where the clinic requires one.`}
              confirmText="Yes, reset it"
              onConfirm={() =>
                act(
                  () => staffApi.resetTwoStep(clinicId, member.userId),
                  `${member.displayName}'s two-step sign-in is off; they were signed out everywhere and told by email.`,
                  'The two-step sign-in could not be reset.',
                  { row: member.userId, names: [`Reset two-step sign-in of ${member.displayName}`, `Deactivate ${member.displayName}`] },
                )
              }
            />
          )}
        </div>
      ) : (
        <div class="staff-actions">
          <span>Was {member.roles.map(roleName).join(', ')}</span>{' '}
          <button
            type="button"
            aria-label={`Reactivate ${member.displayName}`}
            onClick={() =>
              void act(() => staffApi.reactivate(clinicId, member.userId), `${member.displayName} was reactivated.`, 'The member could not be reactivated.', {
                row: member.userId,
                names: [`Deactivate ${member.displayName}`, `Reactivate ${member.displayName}`],
              })
            }
          >
            Reactivate
          </button>
        </div>
      )}
    </li>
  );
}

function InvitationRow({ invitation, clinicId, act }: { invitation: StaffInvitation; clinicId: string; act: Act }) {
  return (
    <li class="staff-item" aria-label={`Invitation for ${invitation.email}`} data-row={invitation.id}>
      <p class="staff-name">
        <strong>{invitation.displayName}</strong> <span class="staff-email">{invitation.email}</span>
      </p>
      <p class="staff-facts">
        Invited as {roleName(invitation.role)} · sent {when(invitation.sentAt)} · {invitation.expired ? 'expired' : 'expires'} {when(invitation.expiresAt)}
      </p>
      <div class="staff-actions">
        <button
          type="button"
          aria-label={`Resend invitation to ${invitation.email}`}
          onClick={() => void act(() => staffApi.resend(clinicId, invitation.id), `A new link was sent to ${invitation.email}; the old one no longer works.`, 'The invitation could not be resent.')}
        >
          Resend
        </button>{' '}
        <ConfirmedButton
          label={`Revoke invitation to ${invitation.email}`}
          question={`Revoke the invitation to ${invitation.email}? Its link stops working at once.`}
          confirmText="Yes, revoke"
          onConfirm={() =>
            act(() => staffApi.revoke(clinicId, invitation.id), `The invitation to ${invitation.email} was revoked.`, 'The invitation could not be revoked.', {
              row: invitation.id,
              names: [`Revoke invitation to ${invitation.email}`],
            })
          }
        />
      </div>
    </li>
  );
}

/** The invite form as a modal dialog: focus moves into it, Escape closes it. */
function InviteDialog({ clinicId, onClose }: { clinicId: string; onClose: (sentTo: string | null) => void }) {
  const dialog = useModalDialog();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<StaffRole>('Clinician');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await staffApi.invite(clinicId, email.trim(), displayName.trim(), role);
      onClose(email.trim());
    } catch (caught) {
      setError(staffProblem(caught, 'The invitation could not be sent.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} class="dialog invite-staff" aria-labelledby="invite-staff-title" onClose={() => onClose(null)}>
      <form onSubmit={(e) => void submit(e)}>
        <h2 id="invite-staff-title">Invite staff</h2>
        <p class="setting-help">They get an email with a link to set a password. The link works once, for 7 days.</p>
        <label class="field">
          Email
          <input type="email" required autocomplete="off" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label class="field">
          Name
          <input type="text" required maxLength={120} value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />
        </label>
        <label class="field">
          Role
          <select value={role} onChange={(e) => setRole(e.currentTarget.value as StaffRole)}>
            <RoleOptions />
          </select>
        </label>
        <ErrorAlert message={error} />
        <div class="dialog-actions">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <BusyButton type="submit" busy={busy}>
            Send invitation
          </BusyButton>
        </div>
      </form>
    </dialog>
  );
}
