import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import { connectionState, connectionText, notReachedText, notSavedText, pendingStatusText } from './connection';

describe('connection state', () => {
  it('is offline whenever the browser says so, even while the push socket still looks open', () => {
    expect(connectionState(false, 'connected')).toBe('offline');
    expect(connectionState(false, 'reconnecting')).toBe('offline');
  });

  it('follows the push connection while the browser is online', () => {
    expect(connectionState(true, 'connected')).toBe('online');
    expect(connectionState(true, 'reconnecting')).toBe('reconnecting');
    expect(connectionState(true, 'disconnected')).toBe('reconnecting');
    expect(connectionState(true, 'connecting')).toBe('connecting');
  });

  it('says nothing while all is well, warns while down and says when it is back', () => {
    expect(connectionText('online', false)).toBe('');
    expect(connectionText('connecting', false)).toBe('');
    expect(connectionText('offline', false)).toMatch(/^You are offline\./);
    expect(connectionText('reconnecting', true)).toMatch(/^Reconnecting…/);
    expect(connectionText('online', true)).toBe('Back online.');
  });

  it('shows queued messages as waiting, not sending, while there is no connection', () => {
    expect(pendingStatusText('offline')).toBe('Waiting for connection');
    expect(pendingStatusText('reconnecting')).toBe('Waiting for connection');
    expect(pendingStatusText('online')).toBe('Sending…');
  });
});

describe('a change that was not saved', () => {
  it('says the server could not be reached when the request never got there', () => {
    expect(notSavedText(new TypeError('Failed to fetch'), 'Could not save.')).toBe(notReachedText);
    expect(notSavedText(new ApiError(502, 'unknown', 'Bad Gateway'), 'Could not save.')).toBe(notReachedText);
    expect(notSavedText(new ApiError(504, 'unknown', 'Gateway Timeout'), 'Could not save.')).toBe(notReachedText);
  });

  it('keeps the form\'s own words when the server answered', () => {
    expect(notSavedText(new ApiError(503, 'temporarily_unavailable', 'Try again.'), 'Could not save.')).toBe('Could not save.');
    expect(notSavedText(new ApiError(500, 'unknown', 'Internal Server Error'), 'Could not save.')).toBe('Could not save.');
    expect(notSavedText(new Error('bug'), 'Could not save.')).toBe('Could not save.');
  });
});
