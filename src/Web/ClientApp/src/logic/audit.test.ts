import { describe, expect, it } from 'vitest';
import type { AuditVerification } from '../types';
import { auditActionGroups, auditActions, auditExportUrl, auditListParams, auditRange, describeVerification, emptyAuditFilters } from './audit';

const verification = (overrides: Partial<AuditVerification>): AuditVerification => ({
  ok: true,
  rows: 0,
  checkpoints: 0,
  brokenAtId: null,
  position: null,
  problem: null,
  checkpointId: null,
  detail: null,
  ...overrides,
});

describe('auditRange', () => {
  it('covers whole local days, with an exclusive end', () => {
    const { from, to } = auditRange({ fromDate: '2026-11-02', toDate: '2026-11-02' });
    expect(new Date(from!).getHours()).toBe(0);
    expect(new Date(from!).getDate()).toBe(2);
    expect(new Date(to!).getDate()).toBe(3);
    expect(new Date(to!).getHours()).toBe(0);
  });

  it('sends a year before 100 as typed, not as 19xx', () => {
    const from = new Date(auditRange({ fromDate: '0001-01-01', toDate: '' }).from!);
    // Local midnight of 1 January 0001, or east of Greenwich (before the API's first instant) that first instant.
    expect(from.toISOString()).toMatch(/^0001-01-01T/);
    const to = new Date(auditRange({ fromDate: '', toDate: '0099-03-04' }).to!);
    expect([to.getFullYear(), to.getMonth(), to.getDate(), to.getHours()]).toEqual([99, 2, 5, 0]);
  });

  it('sends a day past the API\'s last instant as that instant, never dropping the filter', () => {
    expect(auditRange({ fromDate: '', toDate: '9999-12-31' }).to).toMatch(/^9999-12-31T/);
    expect(auditRange({ fromDate: '', toDate: '275760-09-13' }).to).toBe('9999-12-31T23:59:59.999Z');
    expect(auditRange({ fromDate: '12026-11-02', toDate: '' }).from).toMatch(/^9999-12-3[01]T/);
  });

  it('leaves out missing or malformed dates', () => {
    expect(auditRange({ fromDate: '', toDate: 'yesterday' })).toEqual({ from: undefined, to: undefined });
  });
});

describe('auditListParams', () => {
  it('sends only the filters that are set, and the cursor', () => {
    const params = auditListParams({ ...emptyAuditFilters, patientId: ' p1 ', action: 'message.sent' }, 42, 50);
    expect(params).toEqual({ patientId: 'p1', actorId: undefined, action: 'message.sent', from: undefined, to: undefined, before: 42, limit: 50 });
  });
});

describe('auditExportUrl', () => {
  it('names the format and the range', () => {
    const url = new URL(auditExportUrl('c 1', 'ndjson', { ...emptyAuditFilters, fromDate: '2026-11-02' }), 'http://x');
    expect(url.pathname).toBe('/api/v1/clinics/c%201/audit/export');
    expect(url.searchParams.get('format')).toBe('ndjson');
    expect(url.searchParams.get('from')).not.toBeNull();
    expect(url.searchParams.has('to')).toBe(false);
  });

  it('exports what the list shows filtered: the patient, person and action too, never a page cursor', () => {
    const filters = { ...emptyAuditFilters, patientId: ' p-1 ', actorId: 'u-7', action: 'note.added' };
    const url = new URL(auditExportUrl('c1', 'csv', filters), 'http://x');
    expect(Object.fromEntries(url.searchParams)).toEqual({ format: 'csv', patientId: 'p-1', actorId: 'u-7', action: 'note.added' });
  });
});

describe('describeVerification', () => {
  it('says how many rows an intact chain has', () => {
    expect(describeVerification(verification({ rows: 12 }))).toBe('Chain intact: 12 rows.');
  });

  it('names the row and the problem of a broken chain', () => {
    expect(describeVerification(verification({ ok: false, rows: 4, brokenAtId: 17, position: 5, problem: 'hash_mismatch' }))).toBe(
      'Broken at row 17 (position 5): the row was changed.',
    );
  });
});

describe('the Action filter’s groups', () => {
  it('puts every action the log records in a named area, once, each area in alphabetical order', () => {
    const groups = auditActionGroups();
    expect(groups.map((g) => g.label)).not.toContain('Other');
    expect(groups.flatMap((g) => g.actions).sort()).toEqual([...auditActions].sort());
    groups.forEach((g) => expect(g.actions).toEqual([...g.actions].sort()));
  });

  it('groups by the code’s first part, and keeps an action of an unknown area under Other', () => {
    const groups = auditActionGroups(['signin', 'totp.enabled', 'message.sent', 'thread.assigned', 'weather.changed']);
    expect(groups).toEqual([
      { label: 'Conversations and messages', actions: ['message.sent', 'thread.assigned'] },
      { label: 'Sign-in and access', actions: ['signin', 'totp.enabled'] },
      { label: 'Other', actions: ['weather.changed'] },
    ]);
  });
});
