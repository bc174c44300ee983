import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { refusalOf, type Refusal } from '../logic/quickReplies';
import { knownTopics, patientTopicsSaved, topicLabel, topics } from '../logic/topics';
import type { Topic } from '../types';
import { ErrorAlert } from './ErrorAlert';

/**
 * An Admin's "Patients start conversations": the topics the clinic's patients may choose when they write first in the
 * portal. Each routes the conversation (billing ones are shared with the clinic's Billing staff). None ticked: patients
 * only answer the clinic's messages.
 */
export function PatientTopicsSetting({ clinicId }: { clinicId: string }) {
  /** The topics ticked; null until the clinic's answer is here. */
  const [chosen, setChosen] = useState<Topic[] | null>(null);
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    let current = true;
    setChosen(null);
    setRefusal(null);
    setStatus('');
    api.clinicProfile(clinicId).then(
      (profile) => current && setChosen(knownTopics(profile.patientTopics)),
      (caught: unknown) => current && setRefusal(refusalOf(caught, 'The topics patients may choose could not be loaded.')),
    );
    return () => {
      current = false;
    };
  }, [clinicId]);

  const toggle = (topic: Topic, on: boolean) => {
    // Kept in the usual order whatever order they are ticked in.
    setChosen((current) => topics.filter((t) => (t === topic ? on : (current ?? []).includes(t))));
    setStatus('');
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (!chosen) {
      return;
    }
    setSaving(true);
    setRefusal(null);
    setStatus('');
    try {
      const profile = await api.setPatientTopics(clinicId, chosen);
      const saved = knownTopics(profile.patientTopics);
      setChosen(saved);
      setStatus(patientTopicsSaved(saved));
    } catch (caught) {
      setRefusal(refusalOf(caught, 'The topics could not be saved. Try again.'));
    } finally {
      setSaving(false);
    }
  };

  const invalid = refusal?.field === 'topics';
  const describedBy = invalid ? 'patient-topics-help patient-topics-error' : 'patient-topics-help';
  return (
    <section class="patient-topics" aria-labelledby="patient-topics-title">
      <h2 id="patient-topics-title">Patients start conversations</h2>
      <form class="patient-topics-form" onSubmit={(e) => void save(e)} noValidate>
        <fieldset aria-describedby={describedBy}>
          <legend class="visually-hidden">Topics patients may choose</legend>
          {topics.map((topic) => (
            <label key={topic} class="checkbox">
              <input
                type="checkbox"
                checked={chosen?.includes(topic) ?? false}
                disabled={!chosen}
                onChange={(e) => toggle(topic, e.currentTarget.checked)}
              />{' '}
              {topicLabel(topic, 'patient')}
            </label>
          ))}
        </fieldset>
        {invalid && (
          <span id="patient-topics-error" class="field-error">
            {refusal.message}
          </span>
        )}
        <span id="patient-topics-help" class="setting-help">
          {chosen && chosen.length === 0
            ? 'Patients answer your messages but cannot start a conversation.'
            : 'Patients choose one of these when they start a conversation in the portal. Billing conversations are shared with your Billing staff.'}
        </span>
        <div class="staff-actions">
          <button type="submit" disabled={!chosen || saving}>
            Save topics
          </button>
        </div>
      </form>
      <ErrorAlert message={refusal && !invalid ? refusal.message : null} />
      <p role="status" class="staff-status">
        {status}
      </p>
    </section>
  );
}
