import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { contactLabel, noticeErrorText, normalizeCode, smsConsentText, testSentText, type ContactStep } from '../logic/notices';
import type { ClinicNoticeChoice, ContactCodeSent, NoticeChannel, NoticeSettings } from '../types';
import { ChangeOutcome } from './ChangeOutcome';
import { ErrorAlert } from './ErrorAlert';
import { OneTimeCodeInput } from './OneTimeCodeInput';
import { ReauthenticateDialog } from './ReauthenticateDialog';
import { Switch } from './Switch';
import { BusyButton } from './BusyButton';

/**
 * Notices about waiting messages: where they go (the verified email address and mobile number, each changed only
 * with a code sent to the new one) and, per clinic, email and text switches and a test notice. Notices never say
 * what a message says.
 */
export function NoticePreferences({
  verifiedUntil,
  reauthenticate,
}: {
  /** Until when the patient's "Verify it's you" window is open; null while closed. */
  verifiedUntil: string | null;
  reauthenticate: (password: string) => Promise<void>;
}) {
  const [settings, setSettings] = useState<NoticeSettings | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.notices().then(setSettings, () => setError('Could not load your notice settings.'));
  }, []);

  return (
    <section class="preferences notice-preferences" aria-labelledby="notices-title">
      <h2 id="notices-title">Notices about new messages</h2>
      <p class="setting-help">We let you know when a clinic's message is waiting for you. A notice never says what the message says.</p>
      <ErrorAlert message={error} />
      {settings && (
        <>
          <ContactDetail channel="email" current={settings.email} onVerified={setSettings} verified={verifiedUntil !== null} reauthenticate={reauthenticate} />
          <ContactDetail channel="sms" current={settings.mobileDisplay ?? settings.mobile} onVerified={setSettings} verified={verifiedUntil !== null} reauthenticate={reauthenticate} />
          {settings.mobileStopped && (
            <p class="setting-help" role="note">
              {/* START goes where STOP went, to the number our texts come from: not to the patient's own number, which
                  this sentence used to name. */}
              Your number replied STOP, so no texts are sent to it. To get them again, reply START to one of our texts.
            </p>
          )}
          {settings.clinics.map((clinic) => (
            <ClinicNotices key={clinic.clinicId} clinic={clinic} settings={settings} onChange={setSettings} />
          ))}
        </>
      )}
    </section>
  );
}

/** The address notices of one channel go to, and its change: enter the new one, then the code sent to it. */
function ContactDetail({
  channel,
  current,
  onVerified,
  verified,
  reauthenticate,
}: {
  channel: NoticeChannel;
  current: string | null;
  onVerified: (s: NoticeSettings) => void;
  verified: boolean;
  reauthenticate: (password: string) => Promise<void>;
}) {
  // Where notices and sign-in go changes only after the password is entered again: the address waiting for it.
  const [verifyingFor, setVerifyingFor] = useState<string | null>(null);
  const [step, setStep] = useState<ContactStep>({ step: 'idle' });
  const [typed, setTyped] = useState('');
  const [code, setCode] = useState('');
  const { busy, error, setError, run } = useNoticeRequest();
  const [done, setDone] = useState<string | null>(null);
  const name = channel === 'email' ? 'Email' : 'Mobile';
  const id = `contact-${channel}`;
  // Back from a step (verified or cancelled), the form is gone: the keyboard goes back to the button that started it.
  const start = useRef<HTMLButtonElement>(null);
  const wasInStep = useRef(false);
  useEffect(() => {
    if (step.step !== 'idle') {
      wasInStep.current = true;
    } else if (wasInStep.current) {
      wasInStep.current = false;
      start.current?.focus();
    }
  }, [step.step]);

  const requestCode = (address: string, recentlyVerified = verified) =>
    run(channel, async () => {
      if (!recentlyVerified) {
        setVerifyingFor(address);
        return;
      }
      try {
        const sent: ContactCodeSent = channel === 'email' ? await api.requestEmailCode(address) : await api.requestMobileCode(address);
        setCode('');
        setStep({ step: 'code-sent', address: sent.address, shown: sent.addressDisplay });
      } catch (e) {
        if (e instanceof ApiError && e.code === 'sensitive_locked') {
          setVerifyingFor(address);
          return;
        }
        throw e;
      }
    });
  const verify = (address: string) =>
    run(channel, async () => {
      const digits = normalizeCode(code);
      if (!digits) {
        setError('Enter the 6-digit code we sent.');
        return;
      }
      onVerified(channel === 'email' ? await api.verifyEmail(address, digits) : await api.verifyMobile(address, digits));
      setStep({ step: 'idle' });
      setTyped('');
      setDone(`Your ${contactLabel(channel)} is verified.`);
    });
  const cancel = () => {
    setStep({ step: 'idle' });
    setError(null);
  };

  return (
    <div class="contact-detail">
      {verifyingFor !== null && (
        <ReauthenticateDialog
          reauthenticate={reauthenticate}
          purpose={`Enter your password to change your ${contactLabel(channel)}.`}
          onVerified={() => void requestCode(verifyingFor, true)}
          onClose={() => setVerifyingFor(null)}
        />
      )}
      <div class="setting">
        <div>
          <p class="setting-name" id={id}>
            {name}
          </p>
          <p class="setting-help contact-address">{current ?? (channel === 'email' ? 'No verified email address' : 'No verified mobile number')}</p>
        </div>
        {step.step === 'idle' && (
          <button
            type="button"
            ref={start}
            onClick={() => {
              setDone(null);
              setStep({ step: 'entering' });
            }}
          >
            {/* A short word on screen; the name says what it changes. */}
            {current ? 'Change' : 'Add'}
            <span class="visually-hidden"> {contactLabel(channel)}</span>
          </button>
        )}
      </div>
      {step.step === 'entering' && (
        <ContactForm onSubmit={() => void requestCode(typed.trim())}>
          <label>
            {channel === 'email' ? 'New email address' : 'New mobile number'}
            {channel === 'email' ? (
              <input type="email" autocomplete="email" required value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
            ) : (
              <input type="tel" autocomplete="tel" required value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
            )}
          </label>
          <div class="contact-actions">
            <BusyButton type="submit" busy={busy}>
              Send code
            </BusyButton>
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          </div>
        </ContactForm>
      )}
      {step.step === 'code-sent' && (
        <ContactForm onSubmit={() => void verify(step.address)}>
          <p class="setting-help" role="status">
            We sent a 6-digit code to {step.shown}. It expires in a few minutes.
          </p>
          <label>
            Verification code
            <OneTimeCodeInput code={code} onCode={setCode} />
          </label>
          <div class="contact-actions">
            <BusyButton type="submit" busy={busy}>
              Verify
            </BusyButton>
            <BusyButton busy={busy} onClick={() => void requestCode(step.address)}>
              Send a new code
            </BusyButton>
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          </div>
        </ContactForm>
      )}
      <ChangeOutcome error={error} status={done} statusClass="setting-help setting-status" />
    </div>
  );
}

/** One step of changing an address: the form's submit runs it here, without leaving the page. */
function ContactForm({ onSubmit, children }: { onSubmit: () => void; children: ComponentChildren }) {
  // Each step's form takes the place of the button or form that led to it: the keyboard goes to its field.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => form.current?.querySelector<HTMLInputElement>('input')?.focus(), []);
  return (
    <form
      ref={form}
      class="contact-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/** One clinic's switches: email, text (the switch beside the consent sentence is the consent) and test notices. */
function ClinicNotices({ clinic, settings, onChange }: { clinic: ClinicNoticeChoice; settings: NoticeSettings; onChange: (s: NoticeSettings) => void }) {
  const { busy, error, run } = useNoticeRequest();
  const [status, setStatus] = useState<string | null>(null);
  const emailId = `notice-email-${clinic.clinicId}`;
  const smsId = `notice-sms-${clinic.clinicId}`;
  const legendId = `notice-clinic-${clinic.clinicId}`;

  // Each request's outcome replaces the last one's.
  const request = (channel: NoticeChannel, action: () => Promise<void>) => {
    setStatus(null);
    return run(channel, action);
  };
  const save = (email: boolean, sms: boolean) => request(sms ? 'sms' : 'email', async () => onChange(await api.setNoticeChoice(clinic.clinicId, email, sms)));
  const test = (channel: NoticeChannel) =>
    request(channel, async () => {
      const queued = await api.sendTestNotice(clinic.clinicId, channel);
      setStatus(testSentText(channel, queued.maskedAddress, clinic.clinicName, channel === 'email' ? clinic.email : clinic.sms));
    });

  return (
    <section class="clinic-notices" aria-labelledby={legendId}>
      <h3 id={legendId}>{clinic.clinicName}</h3>
      <div class="setting">
        <div>
          <p class="setting-name" id={emailId}>
            Email me when a message waits
          </p>
          <p class="setting-help">{settings.email ? `To ${settings.email}` : 'Add and verify an email address first.'}</p>
        </div>
        <Switch labelledBy={emailId} checked={clinic.email} disabled={busy || !settings.email} onToggle={() => void save(!clinic.email, clinic.sms)} />
      </div>
      <div class="setting">
        <div>
          <p class="setting-name" id={smsId}>
            Text me
          </p>
          <p class="setting-help">{smsConsentText(clinic.clinicName)}</p>
          <p class="setting-help">{settings.mobile ? `To ${settings.mobileDisplay ?? settings.mobile}` : 'Add and verify a mobile number first.'}</p>
        </div>
        <Switch
          labelledBy={smsId}
          checked={clinic.sms}
          disabled={busy || (!settings.mobile && !clinic.sms)}
          onToggle={() => void save(clinic.email, !clinic.sms)}
        />
      </div>
      <div class="contact-actions">
        <BusyButton busy={busy} unavailable={!settings.email} onClick={() => void test('email')}>
          Send me a test email
        </BusyButton>
        <BusyButton busy={busy} unavailable={!settings.mobile} onClick={() => void test('sms')}>
          Send me a test text
        </BusyButton>
      </div>
      <ChangeOutcome error={error} status={status} statusClass="setting-help setting-status" />
    </section>
  );
}

/** A notice request, one at a time: busy while it runs, and a refusal worded for the channel it was about. */
function useNoticeRequest() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (channel: NoticeChannel, action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(noticeErrorText(e, channel));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
