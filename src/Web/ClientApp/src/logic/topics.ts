import { ApiError } from '../api';
import type { ClinicTopics, Colleague, Thread, Topic } from '../types';
import { lengthProblem } from './composer';

// Topics: what a thread is about, as a patient chooses it when they start a conversation and staff route it after. The
// server decides who takes part in which thread (ThreadTopics.RoutesTo) and what a clinic offers; these only choose what
// to show and what to ask for, so that nothing it would refuse is offered.

/** Every topic, in the order the server lists them (ThreadTopics.Offerable). */
export const topics: readonly Topic[] = ['appointments', 'billing', 'careTeam'];

/** Whom a label is for: the patient's words for their choice, or the staff's short ones for tags and the Topic control. */
export type TopicAudience = 'patient' | 'staff';

const labels: Record<Topic, Record<TopicAudience, string>> = {
  appointments: { patient: 'Appointments', staff: 'Appointments' },
  billing: { patient: 'Billing', staff: 'Billing' },
  careTeam: { patient: 'A question for my care team', staff: 'Care team' },
};

/** "Billing", "Care team" (staff) or "A question for my care team" (patient); a topic this client does not know yet as the server names it. */
export function topicLabel(topic: Topic, audience: TopicAudience): string {
  return labels[topic]?.[audience] ?? topic;
}

/** Whether a value from the server is a topic this client knows. */
export function isTopic(value: unknown): value is Topic {
  return typeof value === 'string' && (topics as readonly string[]).includes(value);
}

/** The topics of a list as the server sent it: known ones only, each once, in the usual order. */
export function knownTopics(values: readonly unknown[]): Topic[] {
  return topics.filter((topic) => values.includes(topic));
}

/** A thread's topic: its team's (staff, kept current by pushes) where it carries one, else the thread's own. */
export function topicOf(thread: Pick<Thread, 'topic' | 'team'>): Topic | null {
  const topic = thread.team && thread.team.topic !== undefined ? thread.team.topic : thread.topic;
  return isTopic(topic) ? topic : null;
}

/** "Alice Carter set the topic to Billing", or "… removed the topic": a system line about a change of topic. */
export function topicChangeText(actorName: string, topic: Topic | null | undefined): string {
  return isTopic(topic) ? `${actorName} set the topic to ${topicLabel(topic, 'staff')}` : `${actorName} removed the topic`;
}

/**
 * The server's routing rule (`ThreadTopics.RoutesTo(role, topic)`), mirrored so that the client never offers what the
 * server refuses: clinicians and front desk take part in every thread, Billing staff in threads about billing only.
 */
export function routesTo(role: string, topic: Topic | null): boolean {
  return role === 'Clinician' || role === 'FrontDesk' || (role === 'Billing' && topic === 'billing');
}

/** The colleagues a thread about the topic can be assigned to or whose note can mention them. */
export function colleaguesFor(colleagues: readonly Colleague[], topic: Topic | null): Colleague[] {
  return colleagues.filter((c) => c.roles.some((role) => routesTo(role, topic)));
}

/** "Saved: patients may start conversations about Appointments and Billing.", after an Admin saved the choice. */
export function patientTopicsSaved(chosen: readonly Topic[]): string {
  if (chosen.length === 0) {
    return 'Saved: no topics are offered to patients.';
  }
  const names = chosen.map((topic) => topicLabel(topic, 'staff'));
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
  return `Saved: patients may start conversations about ${list}.`;
}

/** The patient's clinics that take new conversations: the "New message" button shows only when there is one. */
export function startableClinics(clinics: readonly ClinicTopics[]): ClinicTopics[] {
  return clinics.filter((clinic) => knownTopics(clinic.topics).length > 0);
}

/** The clinic the form starts with: the first the patient has chat on with (the list is by name), else the first. */
export function firstClinic(clinics: readonly ClinicTopics[]): ClinicTopics | undefined {
  return clinics.find((clinic) => clinic.chatOptIn) ?? clinics[0];
}

/** A patient's new conversation as the form holds it. */
export interface StartDraft {
  topic: Topic | null;
  text: string;
}

/** Why the form cannot be sent yet, beside the field concerned; both null when it can. */
export interface StartProblems {
  topic: string | null;
  text: string | null;
}

/** What the server would refuse, found before asking: no topic the clinic offers, no text, or too much of it. */
export function startProblems(draft: StartDraft, offered: readonly Topic[]): StartProblems {
  return {
    topic: draft.topic && offered.includes(draft.topic) ? null : 'Choose what your message is about.',
    text: draft.text.trim() === '' ? 'Write your message.' : lengthProblem(draft.text),
  };
}

/** The server's refusal of a new conversation: beside the field it names (topic, text), or in an alert above the form. */
export interface StartRefusal {
  field: 'topic' | 'text' | null;
  message: string;
}

/** A refusal in the server's own words where it has them (the clinic takes no conversations, chat is off), else what to do next. */
export function startRefusal(caught: unknown): StartRefusal {
  if (!(caught instanceof ApiError)) {
    // fetch itself failed: the request may not have arrived. Sending again is safe: the message keeps its id.
    return { field: null, message: 'Your message was not sent. Check your connection and try again.' };
  }
  switch (caught.code) {
    case 'validation_failed':
      return { field: caught.field === 'topic' || caught.field === 'text' ? caught.field : null, message: caught.message };
    case 'forbidden':
    case 'patient_opted_out':
      return { field: null, message: caught.message };
    case 'not_found':
      return { field: null, message: 'This clinic is no longer one of yours. Reload the page to see your clinics.' };
    case 'rate_limited':
      return { field: null, message: 'Too many messages at once. Wait a minute and try again.' };
    default:
      return { field: null, message: 'Your message was not sent. Try again.' };
  }
}
