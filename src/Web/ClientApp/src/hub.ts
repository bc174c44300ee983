import { HttpTransportType, HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection } from '@microsoft/signalr';
import { api } from './api';
import type { HubState } from './logic/connection';
import type { ChatClient, HubReply, Receipts } from './types';

/**
 * The push connection. Pushes are an optimisation: after every (re)connect the server says
 * "Subscribed" and the app resyncs from its cursors, so nothing missed while disconnected is lost.
 */
export class ChatHub {
  private readonly connection: HubConnection;
  private stopped = false;
  private starting: Promise<void> | null = null;

  /**
   * Handlers for pushes; <c>Subscribed</c> arrives after every (re)connect and is where clients resync.
   * onState hears every change of the connection, for the app to show.
   */
  constructor(handlers: ChatClient, private readonly onState: (state: HubState) => void = () => undefined) {
    this.connection = new HubConnectionBuilder()
      // WebSockets only, without the negotiate round trip: the connection is one request, so a load
      // balancer in front of several web nodes needs no sticky sessions (see docs/operations.md).
      .withUrl('/hubs/chat', { transport: HttpTransportType.WebSockets, skipNegotiation: true })
      // Pings both ways every 5 s, giving up after 15 s of silence, as the server does (ChatHub.KeepAlive,
      // ChatHub.ClientTimeout): a dead connection shows here, and ends a patient's presence, in seconds.
      .withKeepAliveInterval(5000)
      .withServerTimeout(15000)
      .withAutomaticReconnect({
        nextRetryDelayInMilliseconds: (retry) => {
          if (retry.previousRetryCount > 0) {
            askWhetherStillSignedIn();
          }
          return Math.min(1000 * 2 ** retry.previousRetryCount, 15000);
        },
      })
      .configureLogging(LogLevel.Warning)
      .build();
    this.connection.on('MessageAdded', handlers.MessageAdded);
    this.connection.on('ConversationUpdated', handlers.ConversationUpdated);
    this.connection.on('MessageWithdrawn', handlers.MessageWithdrawn);
    this.connection.on('ReceiptsUpdated', handlers.ReceiptsUpdated);
    this.connection.on('Typing', handlers.Typing);
    this.connection.on('PresenceChanged', handlers.PresenceChanged);
    this.connection.on('RecordUpdated', handlers.RecordUpdated);
    this.connection.on('StaffItemAdded', handlers.StaffItemAdded);
    this.connection.on('Mentioned', handlers.Mentioned);
    this.connection.on('Subscribed', handlers.Subscribed);
    this.connection.onreconnecting(() => {
      this.onState('reconnecting');
      askWhetherStillSignedIn();
    });
    this.connection.onreconnected(() => this.onState('connected'));
    this.connection.onclose(() => {
      if (!this.stopped) {
        this.onState('disconnected');
        window.setTimeout(() => void this.start(), 5000);
      }
    });
  }

  async start(): Promise<void> {
    if (this.stopped || this.connection.state !== HubConnectionState.Disconnected) {
      return;
    }
    this.starting = this.connection.start();
    try {
      await this.starting;
      this.onState('connected');
    } catch {
      this.onState('disconnected');
      askWhetherStillSignedIn();
      window.setTimeout(() => void this.start(), 5000);
    } finally {
      this.starting = null;
    }
  }

  /** Tells the other side the user is typing; best-effort, dropped while disconnected. */
  typing(conversationId: string): void {
    if (this.connection.state === HubConnectionState.Connected) {
      void this.connection.send('Typing', conversationId).catch(() => undefined);
    }
  }

  /**
   * Says the device has a conversation's messages up to seq, as a frame on this connection (ChatHub.Delivered): null
   * while it is not connected, and the caller posts the receipt over HTTP instead. Rejects with the API's error code
   * when the server refuses it (a thread the user left: not_found), as the HTTP request would.
   */
  delivered(conversationId: string, upToSeq: number): Promise<Receipts> | null {
    if (this.connection.state !== HubConnectionState.Connected) {
      return null;
    }
    return this.connection.invoke<HubReply<Receipts>>('Delivered', conversationId, upToSeq).then((reply) => reply.value ?? Promise.reject(new Error(reply.error ?? 'no_answer')));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // Stopping a connection halfway through its start makes the SignalR client log an error (seen
    // when signing out right after the connection began): let the start settle first.
    await this.starting?.catch(() => undefined);
    await this.connection.stop();
  }
}

/**
 * After the connection dropped or a (re)connect failed: a refused WebSocket does not tell the page why, so a device whose
 * session ended elsewhere (signed out everywhere, a password reset) would keep retrying with the conversation on screen.
 * An API request says: its 401 sends the app back to sign-in (api's sessionEndedEvent). Any other failure (offline, a
 * server restarting) is left to the retries.
 */
function askWhetherStillSignedIn(): void {
  void api.me().catch(() => undefined);
}
