import { describe, expect, it } from 'vitest';
import { landingHash, returnUrlFrom } from './returnUrl';

describe('returnUrlFrom', () => {
  it('returns an ops page of this site', () => {
    expect(returnUrlFrom('?returnUrl=%2Fops%2Forleans')).toBe('/ops/orleans');
    expect(returnUrlFrom('?returnUrl=/ops/orleans/')).toBe('/ops/orleans/');
  });

  it('ignores a missing parameter and pages outside ops', () => {
    expect(returnUrlFrom('')).toBeNull();
    expect(returnUrlFrom('?returnUrl=%2Fapi%2Fv1%2Fme')).toBeNull();
    expect(returnUrlFrom('?returnUrl=%2Fopsx')).toBeNull();
  });

  it('never sends anyone to another site', () => {
    expect(returnUrlFrom('?returnUrl=https%3A%2F%2Fevil.example%2Fops%2F')).toBeNull();
    expect(returnUrlFrom('?returnUrl=%2F%2Fevil.example%2Fops%2F')).toBeNull();
    expect(returnUrlFrom('?returnUrl=%2F%5Cevil.example')).toBeNull();
    expect(returnUrlFrom('?returnUrl=%2Fops%2F..%2F..%2Fapi')).toBeNull();
    expect(returnUrlFrom('?returnUrl=javascript%3Aalert(1)')).toBeNull();
  });
});

describe('landingHash', () => {
  it("keeps a deep link into the account's own pages", () => {
    expect(landingHash('#/inbox/5b1c', 'patient')).toBe('#/inbox/5b1c');
    expect(landingHash('#/preferences', 'patient')).toBe('#/preferences');
    expect(landingHash('#/chat/5b1c', 'staff')).toBe('#/chat/5b1c');
  });

  it("sends other links to the account's home", () => {
    expect(landingHash('#/chat/5b1c', 'patient')).toBe('#/inbox');
    expect(landingHash('#/inbox/5b1c', 'staff')).toBe('#/chat');
    expect(landingHash('', 'patient')).toBe('#/inbox');
    expect(landingHash('#/set-password/x', 'staff')).toBe('#/chat');
  });
});
