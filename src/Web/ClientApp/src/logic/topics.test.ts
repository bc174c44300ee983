import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import type { ClinicTopics, Colleague } from '../types';
import {
  colleaguesFor,
  firstClinic,
  knownTopics,
  patientTopicsSaved,
  startableClinics,
  startProblems,
  startRefusal,
  topicChangeText,
  topicLabel,
  topicOf,
} from './topics';

const colleague = (userId: string, ...roles: string[]): Colleague => ({ userId, displayName: userId, roles });

const clinic = (overrides: Partial<ClinicTopics> = {}): ClinicTopics => ({
  clinicId: 'c1',
  clinicName: 'Northside',
  topics: ['appointments', 'billing'],
  chatOptIn: true,
  conversationId: null,
  ...overrides,
});

describe('topic labels', () => {
  it('give patients their own words and staff a short tag', () => {
    expect(topicLabel('careTeam', 'patient')).toBe('A question for my care team');
    expect(topicLabel('careTeam', 'staff')).toBe('Care team');
    expect(topicLabel('billing', 'patient')).toBe('Billing');
    expect(topicLabel('appointments', 'staff')).toBe('Appointments');
  });

  it('name a topic this client does not know yet as the server sends it', () => {
    expect(topicLabel('pharmacy' as never, 'staff')).toBe('pharmacy');
  });
});

describe('topicOf', () => {
  it('follows the team, which pushes keep current, over the thread as the list read it', () => {
    expect(topicOf({ topic: 'billing', team: { status: 'open', assignee: null, topic: 'appointments' } })).toBe('appointments');
    expect(topicOf({ topic: 'billing', team: { status: 'open', assignee: null, topic: null } })).toBeNull();
  });

  it('reads the thread\'s own topic for patients, whose threads carry no team', () => {
    expect(topicOf({ topic: 'careTeam', team: null })).toBe('careTeam');
    expect(topicOf({ topic: null })).toBeNull();
    expect(topicOf({ topic: 'careTeam', team: { status: 'open', assignee: null } })).toBe('careTeam');
  });
});

describe('topicChangeText', () => {
  it('says who set the topic, or removed it', () => {
    expect(topicChangeText('Alice Carter', 'billing')).toBe('Alice Carter set the topic to Billing');
    expect(topicChangeText('Alice Carter', 'careTeam')).toBe('Alice Carter set the topic to Care team');
    expect(topicChangeText('Alice Carter', null)).toBe('Alice Carter removed the topic');
  });
});

describe('colleaguesFor', () => {
  const team = [colleague('alice', 'Clinician'), colleague('frank', 'FrontDesk'), colleague('bill', 'Billing'), colleague('bea', 'Billing', 'FrontDesk')];

  it('offers Billing-only colleagues in a thread about billing only, as the server allows', () => {
    expect(colleaguesFor(team, 'billing').map((c) => c.userId)).toEqual(['alice', 'frank', 'bill', 'bea']);
    expect(colleaguesFor(team, 'appointments').map((c) => c.userId)).toEqual(['alice', 'frank', 'bea']);
    expect(colleaguesFor(team, null).map((c) => c.userId)).toEqual(['alice', 'frank', 'bea']);
  });

  it('offers nobody whose roles the thread does not route to', () => {
    expect(colleaguesFor([colleague('olga', 'Admin'), colleague('nobody')], 'billing')).toEqual([]);
  });
});

describe('what patients may start a conversation about', () => {
  it('keeps the topics this client knows, once each, in the usual order', () => {
    expect(knownTopics(['careTeam', 'pharmacy', 'appointments', 'careTeam'])).toEqual(['appointments', 'careTeam']);
  });

  it('says what an Admin saved', () => {
    expect(patientTopicsSaved(['appointments', 'billing', 'careTeam'])).toBe('Saved: patients may start conversations about Appointments, Billing and Care team.');
    expect(patientTopicsSaved(['billing'])).toBe('Saved: patients may start conversations about Billing.');
    expect(patientTopicsSaved([])).toBe('Saved: no topics are offered to patients.');
  });
});

describe('New message', () => {
  it('shows only when one of the patient\'s clinics takes new conversations', () => {
    expect(startableClinics([])).toEqual([]);
    expect(startableClinics([clinic({ topics: [] })])).toEqual([]);
    expect(startableClinics([clinic({ clinicId: 'a', topics: [] }), clinic({ clinicId: 'b' })]).map((c) => c.clinicId)).toEqual(['b']);
  });

  it('keeps a clinic whose chat is off: the form then says where to turn it on', () => {
    expect(startableClinics([clinic({ chatOptIn: false })])).toHaveLength(1);
  });

  it('starts with a clinic the patient has chat on with', () => {
    const off = clinic({ clinicId: 'a', chatOptIn: false });
    expect(firstClinic([off, clinic({ clinicId: 'b' })])?.clinicId).toBe('b');
    expect(firstClinic([off])?.clinicId).toBe('a');
    expect(firstClinic([])).toBeUndefined();
  });

  it('asks for a topic the clinic offers and a message before sending', () => {
    expect(startProblems({ topic: null, text: '  ' }, ['billing'])).toEqual({ topic: 'Choose what your message is about.', text: 'Write your message.' });
    expect(startProblems({ topic: 'careTeam', text: 'Hi' }, ['billing'])).toMatchObject({ topic: 'Choose what your message is about.', text: null });
    expect(startProblems({ topic: 'billing', text: 'About my invoice' }, ['billing'])).toEqual({ topic: null, text: null });
  });

  it('refuses a message over the limit before the server does', () => {
    expect(startProblems({ topic: 'billing', text: 'x'.repeat(4001) }, ['billing']).text).toMatch(/1 character over the 4,000-character limit/);
  });
});

describe('startRefusal', () => {
  it('puts a refused topic or text beside its field, in the server\'s words', () => {
    expect(startRefusal(new ApiError(400, 'validation_failed', 'Northside takes conversations about: billing.', 'topic'))).toEqual({
      field: 'topic',
      message: 'Northside takes conversations about: billing.',
    });
    expect(startRefusal(new ApiError(400, 'validation_failed', 'text must not be empty.', 'text')).field).toBe('text');
    expect(startRefusal(new ApiError(400, 'validation_failed', 'clinicId is one of your clinics.', 'clinicId')).field).toBeNull();
  });

  it('shows the clinic taking no conversations, and chat being off, in an alert in the server\'s words', () => {
    expect(startRefusal(new ApiError(403, 'forbidden', 'Northside does not take new conversations in the portal.'))).toEqual({
      field: null,
      message: 'Northside does not take new conversations in the portal.',
    });
    expect(startRefusal(new ApiError(409, 'patient_opted_out', 'You have turned chat with Northside off.')).message).toBe('You have turned chat with Northside off.');
  });

  it('says what to do when the message may not have arrived', () => {
    expect(startRefusal(new TypeError('Failed to fetch')).message).toMatch(/Check your connection/);
    expect(startRefusal(new ApiError(503, 'temporarily_unavailable', 'x')).message).toBe('Your message was not sent. Try again.');
    expect(startRefusal(new ApiError(429, 'rate_limited', 'x')).message).toMatch(/Wait a minute/);
  });
});
