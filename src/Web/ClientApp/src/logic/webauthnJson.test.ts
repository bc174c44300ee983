import { describe, expect, it } from 'vitest';
import { base64UrlToBytes, bytesToBase64Url, creationOptionsFromJson, requestOptionsFromJson } from './webauthnJson';

describe('WebAuthn JSON fallback', () => {
  it('round-trips bytes through base64url without padding or + and /', () => {
    const bytes = new Uint8Array([0xfb, 0xff, 0xbf, 0x00, 0x01]);
    const text = bytesToBase64Url(bytes);
    expect(text).toBe('-_-_AAE');
    expect([...base64UrlToBytes(text)]).toEqual([...bytes]);
  });

  it('turns the byte fields of creation options into bytes and keeps the rest', () => {
    const options = creationOptionsFromJson({
      challenge: 'AQID',
      rp: { id: 'localhost', name: 'ClinicChat' },
      user: { id: 'dXNlcg', name: 'pat@example.test', displayName: 'Pat' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      excludeCredentials: [{ type: 'public-key', id: 'BAU' }],
    });
    expect([...new Uint8Array(options.challenge as ArrayBuffer)]).toEqual([1, 2, 3]);
    expect(new TextDecoder().decode(options.user.id as ArrayBuffer)).toBe('user');
    expect([...new Uint8Array(options.excludeCredentials?.[0]?.id as ArrayBuffer)]).toEqual([4, 5]);
    expect(options.rp.id).toBe('localhost');
  });

  it('turns the allowed credentials of request options into bytes', () => {
    const options = requestOptionsFromJson({ challenge: 'AQID', rpId: 'localhost', allowCredentials: [{ type: 'public-key', id: 'BgcI' }] });
    expect([...new Uint8Array(options.allowCredentials?.[0]?.id as ArrayBuffer)]).toEqual([6, 7, 8]);
    expect(options.rpId).toBe('localhost');
  });
});
