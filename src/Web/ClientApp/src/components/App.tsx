import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, sessionEndedEvent } from '../api';
import type { Me } from '../types';
import { SignIn } from './SignIn';
import { SetPassword } from './SetPassword';
import { ActivatePage } from './ActivatePage';
import { ResetPassword } from './ResetPassword';
import { StaffChat } from './StaffChat';
import { PatientPortal } from './PatientPortal';
import { parseRoute, useHashRoute } from './useHashRoute';
import { focusIsLost, headingToFocus } from './useFocusAfterRender';
import { AuditLog } from './AuditLog';
import { AccountSecurity } from './AccountSecurity';
import { NoChatRole } from './NoChatRole';
import { StaffAdmin } from './StaffAdmin';
import { QuickRepliesPage } from './QuickRepliesPage';
import { ClinicSettingsPage } from './ClinicSettingsPage';
import { DevelopmentOutbox, useDevelopmentOutboxAvailable } from './DevelopmentOutbox';
import { forgetDrafts } from '../logic/drafts';
import { rolesOf } from '../logic/roles';
import { homeAddressFor, staffPageFor } from '../logic/staffPages';
import { ResponsiveLabel } from './ResponsiveLabel';

type Session = { state: 'loading' } | { state: 'anonymous'; notice?: string } | { state: 'signing-out' } | { state: 'signed-in'; me: Me };

const sessionEndedNotice = 'You have been signed out: you signed out on another device, your password was changed, or you were away too long. Sign in again to go on.';
const signedOutEverywhere = 'You have been signed out on every device.';

export function App() {
  const [session, setSession] = useState<Session>({ state: 'loading' });
  const route = useHashRoute();
  const signedInMe = session.state === 'signed-in' ? session.me : null;
  const devOutbox = useDevelopmentOutboxAvailable(signedInMe);
  const justSignedIn = useRef(false);
  // An invitation's or a reset's link is shown whoever is signed in: its address is never replaced.
  const tokenLink = ['set-password', 'activate', 'reset-password'].includes(route.section) && route.id !== null;
  const page = signedInMe?.kind === 'staff' && !tokenLink ? staffPageFor(route.section, signedInMe, devOutbox) : null;
  const landing = page ? homeAddressFor(route.section, page) : null;
  useEffect(() => {
    // Only while the address it stands in for is still the one shown: an effect runs after the paint, and a link followed
    // in between (a thread opened straight after signing in) was replaced by `#/chat` (seen as a rare browser-test failure).
    // Run again for each address shown: the same home stands in for the next one (sign-in's `#/chat` after none).
    if (landing && parseRoute(window.location.hash).section === route.section) {
      // Replaced, not pushed: Back goes on to the page before, instead of to `#/chat`, which would bring the person back
      // here at once. The route follows the address through the event replaceState does not fire.
      window.history.replaceState(null, '', landing);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    }
  }, [landing, route.section]);

  useEffect(() => {
    api
      .session()
      .then(({ me }) => setSession(me ? { state: 'signed-in', me } : { state: 'anonymous' }))
      .catch(() => setSession({ state: 'anonymous' }));
    // The server ended the session (signed out elsewhere, password changed, idle or too old): back to sign-in, saying so,
    // or a window left open would just show an empty sign-in form with no reason.
    const ended = (event: Event) =>
      setSession((current) =>
        current.state === 'signed-in'
          ? { state: 'anonymous', notice: event instanceof CustomEvent && event.detail === 'everywhere' ? signedOutEverywhere : sessionEndedNotice }
          : { state: 'anonymous' },
      );
    window.addEventListener(sessionEndedEvent, ended);
    return () => window.removeEventListener(sessionEndedEvent, ended);
  }, []);

  // The sign-in form goes with the button pressed, and the browser drops the focus to the page's body: a keyboard or
  // screen-reader user would start again from the top of the document. The page's heading takes it instead, once, when
  // the app first shows (after a password reset the sign-in form stays one render longer, until the address moves on). A
  // page that put the focus somewhere itself (an opened thread's message box) keeps it.
  useEffect(() => {
    if (justSignedIn.current && document.querySelector('main h1')) {
      justSignedIn.current = false;
      if (focusIsLost()) {
        headingToFocus('main h1')?.focus();
      }
    }
  });
  const signedIn = (me: Me) => {
    justSignedIn.current = true;
    setSession({ state: 'signed-in', me });
  };

  if (route.section === 'set-password' && route.id) {
    // An invitation link: whoever may be signed in here, the link is for the person it names.
    return <SetPassword token={route.id} onSignedIn={signedIn} />;
  }
  if (route.section === 'activate' && route.id) {
    // A portal invitation link: like set-password, it is for the patient it was sent to.
    return <ActivatePage token={route.id} onSignedIn={signedIn} />;
  }
  if (route.section === 'reset-password' && route.id) {
    // A password-reset link: like an invitation, for the account it names, whoever may be signed in here.
    return <ResetPassword token={route.id} onSignedIn={signedIn} />;
  }
  if (session.state === 'loading') {
    return <p class="loading">Loading…</p>;
  }
  if (session.state === 'signing-out') {
    return <p class="loading">Signing out…</p>;
  }
  if (session.state === 'anonymous') {
    return <SignIn notice={session.notice} onSignedIn={signedIn} />;
  }

  const signOut = async () => {
    // The signed-in pages go first, so that nothing new is asked for (their live connection closes with them); what
    // is on its way is answered before the session ends, so that none of it is refused for the sign-out.
    setSession({ state: 'signing-out' });
    await api.settled(3_000);
    await api.logout().catch(() => undefined);
    // Unsent messages hold patient data: a shared workstation must not keep them for the next user.
    Object.keys(window.localStorage)
      .filter((key) => key.startsWith('clinicchat.outbox.'))
      .forEach((key) => window.localStorage.removeItem(key));
    forgetDrafts(window.sessionStorage);
    window.location.hash = '';
    setSession({ state: 'anonymous' });
  };
  const me = session.me;
  const { chats, keepsQuickReplies, isAdmin } = rolesOf(me);
  // Which page an address opens for whom is staffPageFor's rule (the audit log is the home of Admins who do not chat).
  const showSecurity = page === 'security';
  const showStaff = page === 'staff';
  const showQuickReplies = page === 'quick-replies';
  const showClinic = page === 'clinic';
  const showDevOutbox = page === 'dev-outbox';
  const showAudit = page === 'audit';
  const showNoChat = page === 'home';
  const onSecurityChanged = (changed: Me | null) => {
    if (changed) {
      setSession({ state: 'signed-in', me: changed });
    }
  };
  return (
    <div class="shell">
      <header class="topbar">
        <span class="brand">ClinicChat</span>
        <nav aria-label="Main">
          {me.kind === 'staff' ? (
            me.totpEnrolmentRequired ? null : (
              <>
                {chats ? (
                  <NavLink href="#/chat" current={!showAudit && !showSecurity && !showDevOutbox && !showStaff && !showQuickReplies && !showClinic}>
                    Chat
                  </NavLink>
                ) : (
                  !isAdmin && (
                    <NavLink href="#/home" current={showNoChat}>
                      Home
                    </NavLink>
                  )
                )}
                {(keepsQuickReplies || isAdmin) && (
                  <NavLink href="#/quick-replies" current={showQuickReplies}>
                    <ResponsiveLabel full="Quick replies" short="Replies" />
                  </NavLink>
                )}
                {isAdmin && (
                  <NavLink href="#/audit" current={showAudit}>
                    Audit log
                  </NavLink>
                )}
                {isAdmin && (
                  <NavLink href="#/staff" current={showStaff}>
                    Staff
                  </NavLink>
                )}
                {isAdmin && (
                  <NavLink href="#/clinic" current={showClinic}>
                    Clinic
                  </NavLink>
                )}
                {isAdmin && devOutbox && (
                  <NavLink href="#/dev-outbox" current={showDevOutbox}>
                    <ResponsiveLabel full="Notices (development)" short="Notices" />
                  </NavLink>
                )}
                <NavLink href="#/security" current={showSecurity}>
                  Security
                </NavLink>
              </>
            )
          ) : (
            <>
              <NavLink href="#/inbox" current={route.section !== 'preferences'}>
                Inbox
              </NavLink>
              <NavLink href="#/preferences" current={route.section === 'preferences'}>
                <ResponsiveLabel full="Communication preferences" short="Preferences" />
              </NavLink>
            </>
          )}
        </nav>
        <span class="who">{me.displayName}</span>
        <button type="button" class="link-button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main class="content">
        {me.kind !== 'staff' ? (
          <PatientPortal me={me} route={route} />
        ) : showSecurity ? (
          <AccountSecurity me={me} onChanged={onSecurityChanged} />
        ) : showStaff ? (
          <StaffAdmin me={me} />
        ) : showQuickReplies ? (
          <QuickRepliesPage me={me} />
        ) : showClinic ? (
          <ClinicSettingsPage me={me} />
        ) : showDevOutbox ? (
          <DevelopmentOutbox me={me} />
        ) : showAudit ? (
          <AuditLog me={me} />
        ) : showNoChat ? (
          <NoChatRole me={me} />
        ) : (
          <StaffChat me={me} route={route} />
        )}
      </main>
    </div>
  );
}

/** A link of the top bar, marked as the current page while it is the page shown. */
function NavLink({ href, current, children }: { href: string; current: boolean; children: ComponentChildren }) {
  return (
    <a href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}
