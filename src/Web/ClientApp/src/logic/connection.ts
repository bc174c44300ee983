import { ApiError } from '../api';

/** The push connection as the hub client reports it. */
export type HubState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** What the app tells the user about its own connection. */
export type ConnectionState = 'online' | 'connecting' | 'reconnecting' | 'offline';

/**
 * The browser's own "offline" wins: an emulated or real network loss can leave the push socket looking
 * open for a while, and nothing sent meanwhile gets through. Otherwise the push connection decides:
 * when it is down, requests are very likely failing too.
 */
export function connectionState(browserOnline: boolean, hub: HubState): ConnectionState {
  if (!browserOnline) {
    return 'offline';
  }
  switch (hub) {
    case 'connected':
      return 'online';
    case 'connecting':
      return 'connecting';
    default:
      return 'reconnecting';
  }
}

/**
 * The status line: nothing while all is well (and during the first connect, so a page load does not
 * flash a warning), a warning while down, and "Back online" for a moment after it was down.
 */
export function connectionText(state: ConnectionState, backRecently: boolean): string {
  switch (state) {
    case 'offline':
      return 'You are offline. Messages you send will wait and go out when the connection is back.';
    case 'reconnecting':
      return 'Reconnecting… Messages you send will wait and go out when the connection is back.';
    case 'online':
      return backRecently ? 'Back online.' : '';
    default:
      return '';
  }
}

/** How a queued message reads: it is only "Sending…" when it can actually be on its way. */
export function pendingStatusText(state: ConnectionState): string {
  return state === 'online' || state === 'connecting' ? 'Sending…' : 'Waiting for connection';
}

/** What a change that never reached the server says, whatever the form: the banner above says the same of messages. */
export const notReachedText = 'Not saved: ClinicChat cannot be reached. Try again once the connection is back.';

/**
 * A change refused for want of a connection says so (a walk saw "Could not save the change. Try again." under the
 * "Reconnecting…" banner): the browser failed the request (fetch rejects with a TypeError), or a proxy in front answered
 * for a server that is down (502–504 without the server's own problem code). Anything else is the caller's `fallback`.
 */
export function notSavedText(caught: unknown, fallback: string): string {
  const unreachable =
    caught instanceof TypeError || (caught instanceof ApiError && caught.code === 'unknown' && (caught.status === 0 || (caught.status >= 502 && caught.status <= 504)));
  return unreachable ? notReachedText : fallback;
}
