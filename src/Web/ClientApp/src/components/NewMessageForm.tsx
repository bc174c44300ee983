import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import type { OfficeHoursCache } from '../logic/officeHoursCache';
import { firstClinic, knownTopics, startProblems, startRefusal, topicLabel, type StartProblems } from '../logic/topics';
import type { ClinicTopics, Topic } from '../types';
import { ClinicHoursNotice } from './ClinicHoursNotice';
import { ClinicPicker } from './ClinicPicker';
import { ErrorAlert } from './ErrorAlert';
import { FieldError } from './FieldError';
import { BusyButton } from './BusyButton';

interface Props {
  /** The patient's clinics that take new conversations (at least one); with several, the form asks which. */
  clinics: ClinicTopics[];
  officeHours: OfficeHoursCache;
  /** The server stored the message: the caller opens its thread. */
  onStarted: (conversationId: string) => Promise<void> | void;
  onBack: () => void;
}

/**
 * A patient's "New message": which clinic (when several take new conversations), what it is about (the topics that clinic
 * offers, which route it to the right staff) and the message. Problems the server would refuse are said beside their field
 * before it is asked; its own refusals (the clinic takes none, chat is off) above the button, in its words.
 */
export function NewMessageForm({ clinics, officeHours, onStarted, onBack }: Props) {
  const [clinicId, setClinicId] = useState(firstClinic(clinics)?.clinicId ?? '');
  const clinic = clinics.find((c) => c.clinicId === clinicId) ?? clinics[0];
  const offered = clinic ? knownTopics(clinic.topics) : [];
  const [topic, setTopic] = useState<Topic | null>(null);
  const [text, setText] = useState('');
  /** Problems shown beside their field: the form's own checks at Send, or the server's refusal naming one. */
  const [problems, setProblems] = useState<StartProblems>({ topic: null, text: null });
  const [alert, setAlert] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  /**
   * The message's id for the server, kept until it is stored: sending again after an answer that never came is the same
   * message (the server answers with the one it stored first), never a second one.
   */
  const clientMessageId = useRef(crypto.randomUUID());
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);

  const chooseClinic = (id: string) => {
    setClinicId(id);
    // Another clinic offers its own topics, and a message to it is a new one.
    setTopic(null);
    setProblems({ topic: null, text: null });
    setAlert(null);
    clientMessageId.current = crypto.randomUUID();
  };

  const send = async (event: Event) => {
    event.preventDefault();
    if (!clinic || sending) {
      return;
    }
    setAlert(null);
    const found = startProblems({ topic, text }, offered);
    setProblems(found);
    if (found.topic || found.text) {
      document.getElementById(found.topic ? `new-message-topic-${offered[0] ?? ''}` : 'new-message-text')?.focus();
      return;
    }
    setSending(true);
    try {
      const started = await api.startAsPatient(clinic.clinicId, topic!, clientMessageId.current, text);
      clientMessageId.current = crypto.randomUUID();
      await onStarted(started.conversationId);
    } catch (caught) {
      const refusal = startRefusal(caught);
      if (refusal.field) {
        setProblems({ topic: null, text: null, [refusal.field]: refusal.message });
        document.getElementById(refusal.field === 'topic' ? `new-message-topic-${topic ?? offered[0] ?? ''}` : 'new-message-text')?.focus();
      } else {
        setAlert(refusal.message);
      }
    } finally {
      setSending(false);
    }
  };

  return (
    <section class="thread new-message" aria-labelledby="new-message-title">
      <header class="thread-header">
        <button type="button" class="back" onClick={onBack} aria-label="Back to conversations">
          ←
        </button>
        <h2 id="new-message-title" tabIndex={-1} ref={heading}>
          New message
        </h2>
      </header>
      <div class="new-message-body">
        <ClinicPicker clinics={clinics} value={clinic?.clinicId} onChange={chooseClinic} layout="stacked" />
        {clinic && !clinic.chatOptIn ? (
          <p class="sidebar-notice new-message-off">
            Chat with {clinic.clinicName} is off. Turn it on in <a href="#/preferences">Communication preferences</a>.
          </p>
        ) : (
          clinic && (
            <form class="new-message-form" onSubmit={(e) => void send(e)} noValidate>
              {clinics.length === 1 && <p class="setting-help">To {clinic.clinicName}</p>}
              <fieldset class="topic-choice" aria-describedby={problems.topic ? 'new-message-topic-error' : undefined}>
                <legend>What is it about?</legend>
                {offered.map((t) => (
                  <label key={t} class="radio">
                    <input
                      id={`new-message-topic-${t}`}
                      type="radio"
                      name="new-message-topic"
                      value={t}
                      checked={topic === t}
                      onChange={() => {
                        setTopic(t);
                        setProblems((shown) => ({ ...shown, topic: null }));
                      }}
                    />{' '}
                    {topicLabel(t, 'patient')}
                  </label>
                ))}
                <FieldError id="new-message-topic-error" message={problems.topic} />
              </fieldset>
              <div class="field">
                <label for="new-message-text">Message</label>
                <textarea
                  id="new-message-text"
                  rows={5}
                  value={text}
                  aria-invalid={problems.text ? true : undefined}
                  aria-describedby={problems.text ? 'new-message-text-error' : undefined}
                  onInput={(e) => {
                    setText(e.currentTarget.value);
                    if (problems.text) {
                      setProblems((shown) => ({ ...shown, text: null }));
                    }
                  }}
                />
                <FieldError id="new-message-text-error" message={problems.text} />
              </div>
              <ClinicHoursNotice clinicId={clinic.clinicId} cache={officeHours} />
              <ErrorAlert message={alert} />
              <div class="new-message-actions">
                <button type="button" onClick={onBack}>
                  Cancel
                </button>
                <BusyButton type="submit" class="primary" busy={sending}>
                  Send
                </BusyButton>
              </div>
            </form>
          )
        )}
      </div>
    </section>
  );
}
