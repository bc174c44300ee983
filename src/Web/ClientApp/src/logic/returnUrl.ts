const opsPage = /^\/ops(\/[A-Za-z0-9_.-]*)*$/;

/**
 * Where to go after signing in, from `?returnUrl=` (set by the server when an anonymous browser
 * opens an ops page). Only this site's ops pages qualify: anything else, including other sites
 * (`//evil.example`, `/\evil.example`) and scheme URLs, is ignored, so the parameter cannot be used
 * to send someone elsewhere after they signed in.
 */
export function returnUrlFrom(search: string): string | null {
  const value = new URLSearchParams(search).get('returnUrl');
  if (value === null || !opsPage.test(value) || value.split('/').includes('..')) {
    return null;
  }
  return value;
}

const landingSections = { staff: ['chat', 'audit', 'security'], patient: ['inbox', 'preferences'] } as const;

/**
 * The page to show after signing in. A deep link that belongs to this kind of account (a notice's
 * `#/inbox/{thread}`, a colleague's `#/chat/{thread}`) is kept, so the person lands where the link
 * pointed; anything else goes to the account's home.
 */
export function landingHash(currentHash: string, kind: 'staff' | 'patient'): string {
  const section = currentHash.replace(/^#\/?/, '').split('/')[0] ?? '';
  return (landingSections[kind] as readonly string[]).includes(section) ? currentHash : kind === 'staff' ? '#/chat' : '#/inbox';
}
