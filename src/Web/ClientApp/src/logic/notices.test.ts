import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import { noticeErrorText, normalizeCode, smsConsentText, testSentText } from './notices';

describe('notice preferences', () => {
  it('names the clinic in the consent sentence and says how to stop', () => {
    expect(smsConsentText('Northside Family Dental')).toBe(
      'I agree to receive text messages from Northside Family Dental about new secure messages. Msg & data rates may apply. Reply STOP to stop.',
    );
    expect(smsConsentText('')).toContain('from my clinic');
  });

  it('reads a code the way the server does: six digits, spaces and dashes ignored', () => {
    expect(normalizeCode('123456')).toBe('123456');
    expect(normalizeCode(' 123 456 ')).toBe('123456');
    expect(normalizeCode('123-456')).toBe('123456');
    expect(normalizeCode('12345')).toBeNull();
    expect(normalizeCode('12345a')).toBeNull();
    expect(normalizeCode('1234567')).toBeNull();
  });

  it('says a test went out, and that no notice will follow while that channel is off for the clinic', () => {
    expect(testSentText('sms', '•••• 1234', 'Northside', true)).toBe('Test text sent to •••• 1234.');
    expect(testSentText('sms', '•••• 1234', 'Northside', false)).toBe(
      'Test text sent to •••• 1234. Texts about new messages from Northside are off: turn on “Text me” to get them.',
    );
    expect(testSentText('email', 'p••@example.com', 'Northside', false)).toBe(
      'Test email sent to p••@example.com. Emails about new messages from Northside are off: turn on “Email me when a message waits” to get them.',
    );
  });

  it('explains each refusal by its code, and a bad field by its name', () => {
    expect(noticeErrorText(new ApiError(400, 'verification_code_invalid', 'x', 'code'), 'sms')).toMatch(/not right or has expired/);
    expect(noticeErrorText(new ApiError(409, 'contact_not_verified', 'x', 'sms'), 'sms')).toMatch(/verify a mobile number/);
    expect(noticeErrorText(new ApiError(409, 'contact_not_verified', 'x', 'channel'), 'email')).toMatch(/verify an email address/);
    expect(noticeErrorText(new ApiError(429, 'rate_limited', 'x'), 'email')).toMatch(/Too many requests/);
    const refusedNumber = 'That is not a mobile number that can receive texts. A number without + is read as a United Kingdom (+44) number: for another country, start with + and its country code.';
    expect(noticeErrorText(new ApiError(400, 'validation_failed', refusedNumber, 'number'), 'sms')).toBe(refusedNumber);
    expect(noticeErrorText(new ApiError(400, 'validation_failed', 'x', 'email'), 'email')).toBe('That is not an email address.');
    expect(noticeErrorText(new ApiError(500, 'internal_error', 'x'), 'email')).toBe('Could not update your email address. Try again.');
    expect(noticeErrorText(new Error('offline'), 'sms')).toMatch(/connection/);
  });
});
