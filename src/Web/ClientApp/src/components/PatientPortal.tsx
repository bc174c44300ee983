import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, sessionHasEnded } from '../api';
import { OfficeHoursCache } from '../logic/officeHoursCache';
import { startableClinics } from '../logic/topics';
import type { ClinicTopics, Me, Preferences } from '../types';
import type { Route } from './useHashRoute';
import { useChat, type Chat } from './useChat';
import { ThreadList } from './ThreadList';
import { ChatWorkspace } from './ChatWorkspace';
import { SensitiveWindowStatus } from './SensitiveWindowStatus';
import { useSensitiveWindow } from './useSensitiveWindow';
import { ReauthenticateDialog } from './ReauthenticateDialog';
import { ErrorAlert } from './ErrorAlert';
import { Switch } from './Switch';
import { NoticePreferences } from './NoticePreferences';
import { PasswordAndSignIn } from './PasswordAndSignIn';
import { accountApi } from '../accountApi';
import { PasskeySettings } from './PasskeySettings';
import { ClinicHoursNotice } from './ClinicHoursNotice';
import { NewMessageForm } from './NewMessageForm';
import { focusIsLost, headingToFocus, useFocusAfterRender } from './useFocusAfterRender';

/** The Inbox's route for a new message ("#/inbox/new"): never a thread's id, which is a GUID. */
const newMessageId = 'new';

/**
 * The patient portal: one thread per clinic, and communication preferences. Sensitive messages show
 * as locked placeholders until the patient re-enters their password; while that window is open a
 * status bar says until when and offers to end it.
 */
export function PatientPortal({ me, route }: { me: Me; route: Route }) {
  const composing = route.section === 'inbox' && route.id === newMessageId;
  const openId = route.section === 'inbox' && !composing ? route.id : null;
  // Archived threads stay the patient's: the list holds them all and the inbox shows them apart.
  const chat = useChat(me, { archived: null, search: '' }, openId);
  const [preferences, setPreferences] = useState<Preferences | null>(null);
  const sensitive = useSensitiveWindow(me.sensitiveUntil);
  const [reauthenticating, setReauthenticating] = useState(false);
  // The message whose "Verify it's you" opened the dialog takes the keyboard once verified: its button goes as the
  // message unlocks, and the focus the dialog gave back to it fell to the page (found on a walk).
  const verifyingFrom = useRef<HTMLElement | null>(null);
  const focusAfterRender = useFocusAfterRender();
  const reauthenticate = useCallback(() => {
    verifyingFrom.current = document.activeElement instanceof HTMLElement ? document.activeElement.closest('article') : null;
    setReauthenticating(true);
  }, []);
  // "Hide sensitive messages" goes with the window it ends, and the browser drops the keyboard to the page: the open
  // thread's heading takes it, or the page's own.
  const { hide } = sensitive;
  const hideSensitive = useCallback(async () => {
    await hide();
    focusAfterRender(() => (focusIsLost() ? headingToFocus('.thread-header h2', 'main h1') : null));
  }, [hide, focusAfterRender]);
  // Each clinic's hours, asked for as its thread opens and kept a few minutes (memory only, gone with the session).
  const officeHours = useMemo(() => new OfficeHoursCache((clinicId) => api.officeHours(clinicId)), []);

  // Could not be read (not for an ended session: sign-in follows): the preferences page says so and can try again.
  const [preferencesFailed, setPreferencesFailed] = useState(false);
  const loadPreferences = useCallback(
    () =>
      api.preferences().then(
        (loaded) => {
          setPreferences(loaded);
          setPreferencesFailed(false);
        },
        (error: unknown) => setPreferencesFailed(!sessionHasEnded(error)),
      ),
    [],
  );
  useEffect(() => void loadPreferences(), [loadPreferences]);

  return (
    <div class="portal">
      {sensitive.until && <SensitiveWindowStatus until={sensitive.until} onHide={hideSensitive} />}
      {route.section === 'preferences' ? (
        <div class="preferences-page">
          <CommunicationPreferences preferences={preferences} onChange={setPreferences} loadFailed={preferencesFailed} onRetry={() => void loadPreferences()} />
          <NoticePreferences verifiedUntil={sensitive.until} reauthenticate={sensitive.reauthenticate} />
          <PasswordAndSignIn />
          <PasskeySettings verifiedUntil={sensitive.until} reauthenticate={sensitive.reauthenticate} reauthenticateWithPasskey={sensitive.reauthenticateWithPasskey} />
        </div>
      ) : (
        <Inbox
          me={me}
          openId={openId}
          composing={composing}
          chat={chat}
          preferences={preferences}
          officeHours={officeHours}
          sensitiveUntil={sensitive.until}
          onReauthenticate={reauthenticate}
        />
      )}
      {reauthenticating && (
        <ReauthenticateDialog
          reauthenticate={sensitive.reauthenticate}
          reauthenticateWithPasskey={sensitive.reauthenticateWithPasskey}
          onVerified={() => focusAfterRender(() => verifyingFrom.current)}
          onClose={() => setReauthenticating(false)}
        />
      )}
    </div>
  );
}

interface InboxProps {
  me: Me;
  openId: string | null;
  /** "#/inbox/new": the New message form where a thread would be. */
  composing: boolean;
  chat: Chat;
  preferences: Preferences | null;
  officeHours: OfficeHoursCache;
  sensitiveUntil: string | null;
  onReauthenticate: () => void;
}

function Inbox({ me, openId, composing, chat, preferences, officeHours, sensitiveUntil, onReauthenticate }: InboxProps) {
  const openThread = chat.threads.find((t) => t.id === openId) ?? null;
  // The clinics that take new conversations, asked each time the Inbox shows (chat may have been turned on meanwhile).
  const [clinicTopics, setClinicTopics] = useState<ClinicTopics[] | null>(null);
  useEffect(() => {
    let current = true;
    api.conversationTopics().then(
      (clinics) => current && setClinicTopics(clinics),
      // Without the answer there is no New message: the patient still answers their clinics' messages.
      () => current && setClinicTopics([]),
    );
    return () => {
      current = false;
    };
  }, []);
  const startable = startableClinics(clinicTopics ?? []);
  // Chat is on or off clinic by clinic: the Inbox names the clinics it is off with and where to turn it on.
  const offClinics = preferences?.clinics.filter((c) => !c.chatOptIn) ?? [];
  const chatOff = preferences !== null && preferences.clinics.length > 0 && offClinics.length === preferences.clinics.length;
  // The preferences on this page are the freshest word (a switch turned a moment ago); the thread's own flag until they load.
  const chatsWith = (thread: { clinicId: string; patientChatOptIn: boolean }) =>
    preferences ? !offClinics.some((c) => c.clinicId === thread.clinicId) : thread.patientChatOptIn;
  const blockedReason = (thread: { clinicId: string; clinicName: string; patientChatOptIn: boolean }) =>
    chatsWith(thread) ? null : `You have turned chat with ${thread.clinicName} off in Communication preferences.`;
  const current = chat.threads.filter((t) => !t.archived);
  const older = chat.threads.filter((t) => t.archived);
  const openInbox = (id: string) => (window.location.hash = `#/inbox/${id}`);
  return (
    <ChatWorkspace
      me={me}
      chat={chat}
      sidebarLabel="Your clinics"
      sidebar={
        <>
          <h1 class="sidebar-title">Inbox</h1>
          {startable.length > 0 && (
            <div class="sidebar-top">
              <button type="button" class="primary" onClick={() => (window.location.hash = `#/inbox/${newMessageId}`)}>
                New message
              </button>
            </div>
          )}
          {chatOff ? (
            <p class="sidebar-notice">
              Chat is off, so your clinics cannot send you messages. Turn it on in <a href="#/preferences">Communication preferences</a>.
            </p>
          ) : (
            offClinics.length > 0 && (
              <p class="sidebar-notice">
                Chat with {offClinics.map((c) => c.clinicName).join(' and ')} is off, so {offClinics.length === 1 ? 'that clinic' : 'those clinics'} cannot send you
                messages. Turn it on in <a href="#/preferences">Communication preferences</a>.
              </p>
            )
          )}
          <ThreadList
            threads={current}
            loaded={chat.loaded}
            openId={openId}
            nameOf={(t) => t.clinicName}
            onOpen={openInbox}
            emptyText={older.length > 0 ? 'No recent conversations.' : 'No messages from your clinics yet.'}
            failed={chat.listFailed}
            onRetry={() => void chat.reload()}
          />
          {older.length > 0 && (
            <section aria-labelledby="older-conversations">
              <h2 class="sidebar-section" id="older-conversations">
                Older conversations
              </h2>
              <ThreadList threads={older} loaded={chat.loaded} openId={openId} nameOf={(t) => t.clinicName} onOpen={openInbox} emptyText="" />
            </section>
          )}
        </>
      }
      openThread={openThread}
      present={(thread) => ({
        title: thread.clinicName,
        subtitle: null,
        blockedReason: blockedReason(thread),
        sensitiveUntil,
        onReauthenticate,
        composerNotice: <ClinicHoursNotice clinicId={thread.clinicId} cache={officeHours} />,
      })}
      listHash="#/inbox"
      placeholder={startable.length > 0 ? 'Choose a clinic to read its messages, or write a new message.' : 'Choose a clinic to read its messages.'}
      pane={
        composing && startable.length > 0 ? (
          <NewMessageForm
            clinics={startable}
            officeHours={officeHours}
            onBack={() => (window.location.hash = '#/inbox')}
            onStarted={async (conversationId) => {
              // The thread is listed (it may be new) before it opens; it opens even if the list could not be read (reload never rejects).
              await chat.reload();
              openInbox(conversationId);
            }}
          />
        ) : undefined
      }
    />
  );
}

interface CommunicationPreferencesProps {
  preferences: Preferences | null;
  onChange: (p: Preferences) => void;
  /** The preferences could not be read: said, with a way to try again (the switches stay off limits until they are). */
  loadFailed: boolean;
  onRetry: () => void;
}

function CommunicationPreferences({ preferences, onChange, loadFailed, onRetry }: CommunicationPreferencesProps) {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async (change: () => Promise<Preferences>) => {
    setSaving(true);
    setError(null);
    try {
      onChange(await change());
    } catch {
      setError('Could not save your preference. Try again.');
    } finally {
      setSaving(false);
    }
  };
  const clinics = preferences?.clinics ?? [];
  // With several clinics the main switch is "all of them": off while any one is off, which must not read as "none"
  // (found on a walk: one clinic off showed "your clinics cannot send you messages" with the other still on).
  const several = clinics.length > 1;
  const onAt = clinics.filter((c) => c.chatOptIn);
  const help = !several
    ? 'When this is off, your clinics cannot send you chat messages and you cannot send them.'
    : preferences?.chatOptIn
      ? 'On: every clinic below can chat with you.'
      : onAt.length > 0
        ? `Off for some: ${onAt.map((c) => c.clinicName).join(', ')} can still chat with you (below). Turn this on for all of them.`
        : 'Off: your clinics cannot send you chat messages and you cannot send them.';

  return (
    <section class="preferences" aria-labelledby="preferences-title">
      <h1 id="preferences-title">Communication preferences</h1>
      <div class="setting">
        <div>
          <p class="setting-name" id="chat-setting">
            {several ? 'Chat with all my clinics' : 'Chat with my clinic'}
          </p>
          <p class="setting-help">{help}</p>
        </div>
        <Switch
          labelledBy="chat-setting"
          checked={preferences?.chatOptIn ?? false}
          disabled={!preferences || saving}
          onToggle={() => preferences && void save(() => api.setChatOptIn(!preferences.chatOptIn))}
        />
      </div>
      {clinics.length > 1 && (
        <fieldset class="clinic-chat">
          <legend>Or choose clinic by clinic</legend>
          {clinics.map((clinic) => (
            <div class="setting" key={clinic.clinicId}>
              <p class="setting-name" id={`chat-${clinic.clinicId}`}>
                Chat with {clinic.clinicName}
              </p>
              <Switch
                labelledBy={`chat-${clinic.clinicId}`}
                checked={clinic.chatOptIn}
                disabled={saving}
                onToggle={() => void save(() => accountApi.setClinicChat(clinic.clinicId, !clinic.chatOptIn))}
              />
            </div>
          ))}
        </fieldset>
      )}
      <ErrorAlert message={loadFailed ? 'Could not load your preferences.' : null} onRetry={onRetry} />
      <ErrorAlert message={error} />
    </section>
  );
}
