import { HttpTransportType, HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection } from '@microsoft/signalr';
import type { ChatClient } from './types';

/**
 * The push connection. Pushes are an optimisation: after every (re)connect the server says
 * "Subscribed" and the app resyncs from its cursors, so nothing missed while disconnected is lost.
 */
export class ChatHub {
  private readonly connection: HubConnection;
  private stopped = false;
  private starting: Promise<void> | null = null;

  /** Handlers for pushes; <c>Subscribed</c> arrives after every (re)connect and is where clients resync. */
  constructor(handlers: ChatClient) {
    this.connection = new HubConnectionBuilder()
      // WebSockets only, without the negotiate round trip: the connection is one request, so a load
      // balancer in front of several web nodes needs no sticky sessions (see docs/operations.md).
      .withUrl('/hubs/chat', { transport: HttpTransportType.WebSockets, skipNegotiation: true })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (retry) => Math.min(1000 * 2 ** retry.previousRetryCount, 15000) })
      .configureLogging(LogLevel.Warning)
      .build();
    this.connection.on('MessageAdded', handlers.MessageAdded);
    this.connection.on('ConversationUpdated', handlers.ConversationUpdated);
    this.connection.on('ReceiptsUpdated', handlers.ReceiptsUpdated);
    this.connection.on('Typing', handlers.Typing);
    this.connection.on('PresenceChanged', handlers.PresenceChanged);
    this.connection.on('ArtifactUpdated', handlers.ArtifactUpdated);
    this.connection.on('Subscribed', handlers.Subscribed);
    this.connection.onclose(() => {
      if (!this.stopped) {
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
    } catch {
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

  async stop(): Promise<void> {
    this.stopped = true;
    // Stopping a connection halfway through its start makes the SignalR client log an error (seen
    // when signing out right after the connection began): let the start settle first.
    await this.starting?.catch(() => undefined);
    await this.connection.stop();
  }
}
