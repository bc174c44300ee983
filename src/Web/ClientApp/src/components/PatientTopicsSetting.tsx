import { useState } from 'preact/hooks';
import { api } from '../api';
import { knownTopics, patientTopicsSaved, topicLabel, topics } from '../logic/topics';
import type { Topic } from '../types';
import { ChangeOutcome } from './ChangeOutcome';
import { FieldError } from './FieldError';
import type { ClinicProfileLoad } from './useClinicProfile';
import { useProfileSave } from './useProfileSave';
import { BusyButton } from './BusyButton';

/**
 * An Admin's "Patients start conversations": the topics the clinic's patients may choose when they write first in the
 * portal. Each routes the conversation (billing ones are shared with the clinic's Billing staff). None ticked: patients
 * only answer the clinic's messages. The profile comes from the settings page, which reads it once for every section.
 */
export function PatientTopicsSetting({ clinicId, loaded }: { clinicId: string; loaded: ClinicProfileLoad }) {
  /** The topics ticked since (or saved); null: the loaded profile's. */
  const [edited, setEdited] = useState<Topic[] | null>(null);
  const { saving, save, status, setStatus, fieldError, alert } = useProfileSave(loaded, 'topics', 'The topics patients may choose could not be loaded.');
  /** The topics ticked; null until the clinic's answer is here. */
  const chosen = edited ?? (loaded.profile ? knownTopics(loaded.profile.patientTopics) : null);

  const toggle = (topic: Topic, on: boolean) => {
    // Kept in the usual order whatever order they are ticked in.
    setEdited(topics.filter((t) => (t === topic ? on : (chosen ?? []).includes(t))));
    setStatus('');
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!chosen) {
      return;
    }
    await save(async () => {
      const profile = await api.setPatientTopics(clinicId, chosen);
      const saved = knownTopics(profile.patientTopics);
      setEdited(saved);
      return patientTopicsSaved(saved);
    }, 'The topics could not be saved. Try again.');
  };

  const invalid = fieldError !== null;
  const describedBy = invalid ? 'patient-topics-help patient-topics-error' : 'patient-topics-help';
  return (
    <section class="patient-topics" aria-labelledby="patient-topics-title">
      <h2 id="patient-topics-title">Patients start conversations</h2>
      <form class="patient-topics-form" onSubmit={(e) => void submit(e)} noValidate>
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
        <FieldError id="patient-topics-error" message={fieldError} />
        <span id="patient-topics-help" class="setting-help">
          {chosen && chosen.length === 0
            ? 'Patients answer your messages but cannot start a conversation.'
            : 'Patients choose one of these when they start a conversation in the portal. Billing conversations are shared with your Billing staff.'}
        </span>
        <div class="staff-actions">
          <BusyButton type="submit" busy={saving} unavailable={!chosen}>
            Save topics
          </BusyButton>
        </div>
      </form>
      <ChangeOutcome error={alert} status={status} />
    </section>
  );
}
