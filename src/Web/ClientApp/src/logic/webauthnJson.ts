/**
 * WebAuthn's JSON forms (the server speaks them) and the browser's binary ones. Browsers with
 * PublicKeyCredential.parseCreationOptionsFromJSON / parseRequestOptionsFromJSON / toJSON do this themselves; this is
 * the small fallback for those without (Safari before 18.4, Firefox before 119): base64url for every byte field.
 */

export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

export function bytesToBase64Url(buffer: ArrayBuffer | ArrayBufferView): string {
  const bytes = buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let binary = '';
  for (const byte of bytes) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

interface DescriptorJson {
  id: string;
  type: string;
  transports?: string[];
}

const descriptors = (list: DescriptorJson[] | undefined): PublicKeyCredentialDescriptor[] | undefined =>
  list?.map((d) => ({ type: 'public-key', id: base64UrlToBytes(d.id), transports: d.transports as AuthenticatorTransport[] | undefined }));

export function creationOptionsFromJson(json: PublicKeyCredentialCreationOptionsJSON): PublicKeyCredentialCreationOptions {
  return {
    ...(json as unknown as PublicKeyCredentialCreationOptions),
    challenge: base64UrlToBytes(json.challenge),
    user: { ...json.user, id: base64UrlToBytes(json.user.id) },
    excludeCredentials: descriptors(json.excludeCredentials),
  };
}

export function requestOptionsFromJson(json: PublicKeyCredentialRequestOptionsJSON): PublicKeyCredentialRequestOptions {
  return {
    ...(json as unknown as PublicKeyCredentialRequestOptions),
    challenge: base64UrlToBytes(json.challenge),
    allowCredentials: descriptors(json.allowCredentials),
  };
}

/** What PublicKeyCredential.toJSON() gives: every ArrayBuffer as base64url. */
export function credentialToJson(credential: PublicKeyCredential): Record<string, unknown> {
  const response = credential.response;
  const encoded: Record<string, unknown> = { clientDataJSON: bytesToBase64Url(response.clientDataJSON) };
  if ('attestationObject' in response) {
    const attestation = response as AuthenticatorAttestationResponse;
    encoded.attestationObject = bytesToBase64Url(attestation.attestationObject);
    encoded.transports = attestation.getTransports?.() ?? [];
  }
  if ('authenticatorData' in response) {
    const assertion = response as AuthenticatorAssertionResponse;
    encoded.authenticatorData = bytesToBase64Url(assertion.authenticatorData);
    encoded.signature = bytesToBase64Url(assertion.signature);
    encoded.userHandle = assertion.userHandle ? bytesToBase64Url(assertion.userHandle) : null;
  }
  return {
    id: credential.id,
    rawId: bytesToBase64Url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment,
    response: encoded,
    clientExtensionResults: credential.getClientExtensionResults(),
  };
}
