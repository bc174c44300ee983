import { request } from './api';
import type { Me, ReauthAnswer } from './types';
import type { components } from './generated/openapi';
import { credentialToJson, creationOptionsFromJson, requestOptionsFromJson } from './logic/webauthnJson';

export type Passkey = components['schemas']['PasskeyDto'];

/** Whether this browser can use passkeys at all (WebAuthn needs a secure context: https, or localhost). */
export const passkeysSupported = () => typeof window !== 'undefined' && window.isSecureContext && 'PublicKeyCredential' in window;

const parseCreation = (json: PublicKeyCredentialCreationOptionsJSON) =>
  typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function' ? PublicKeyCredential.parseCreationOptionsFromJSON(json) : creationOptionsFromJson(json);

const parseRequest = (json: PublicKeyCredentialRequestOptionsJSON) =>
  typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function' ? PublicKeyCredential.parseRequestOptionsFromJSON(json) : requestOptionsFromJson(json);

const toJson = (credential: PublicKeyCredential): unknown =>
  typeof credential.toJSON === 'function' ? credential.toJSON() : credentialToJson(credential);

/** Asks the device for one of this site's passkeys (Face ID, fingerprint, PIN), for options the server made. */
async function assert(optionsPath: string): Promise<unknown> {
  const options = await request<PublicKeyCredentialRequestOptionsJSON>('POST', optionsPath);
  const credential = (await navigator.credentials.get({ publicKey: parseRequest(options) })) as PublicKeyCredential | null;
  if (credential === null) {
    throw new DOMException('No passkey was chosen.', 'NotAllowedError');
  }
  return toJson(credential);
}

/** Makes a new passkey on this device for creation options the server made at <optionsPath> (sent <body>). */
export async function createPasskey(optionsPath: string, body?: unknown): Promise<unknown> {
  const options = await request<PublicKeyCredentialCreationOptionsJSON>('POST', optionsPath, body);
  const credential = (await navigator.credentials.create({ publicKey: parseCreation(options) })) as PublicKeyCredential | null;
  if (credential === null) {
    throw new DOMException('No passkey was made.', 'NotAllowedError');
  }
  return toJson(credential);
}

export const passkeysApi = {
  list: () => request<Passkey[]>('GET', '/auth/passkeys'),
  /** Creates a passkey on this device and stores it under the name; 403 sensitive_locked without a recent "Verify it's you". */
  add: async (name: string): Promise<Passkey> =>
    request<Passkey>('POST', '/auth/passkeys', { credential: await createPasskey('/auth/passkeys/options'), name }),
  remove: (id: string) => request<void>('DELETE', `/auth/passkeys/${encodeURIComponent(id)}`),
  /** Signs in with whichever of this site's passkeys the person picks: no email needed. */
  signIn: async (): Promise<Me> => request<Me>('POST', '/auth/login/passkey', { credential: await assert('/auth/login/passkey/options') }),
  /** "Verify it's you" with one of the signed-in person's passkeys: opens the same window as the password. */
  reauthenticate: async (): Promise<ReauthAnswer> =>
    request<ReauthAnswer>('POST', '/auth/reauth/passkey', { credential: await assert('/auth/reauth/passkey/options') }),
};

/** The person closed the device's prompt or it timed out: not an error worth more than a calm sentence. */
export const passkeyCancelled = (error: unknown) => error instanceof DOMException && (error.name === 'NotAllowedError' || error.name === 'AbortError');
