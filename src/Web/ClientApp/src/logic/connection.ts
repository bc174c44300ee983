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
