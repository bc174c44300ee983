import { HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection } from '@microsoft/signalr';
import type { ChatClient } from './types';

/**
 * The push connection. Pushes are an optimisation: after every (re)connect the app resyncs from
 * its cursors, so nothing missed while disconnected is lost.
 */
export class ChatHub {
  private readonly connection: HubConnection;
  private stopped = false;

  constructor(handlers: ChatClient, onResync: () => void) {
    this.connection = new HubConnectionBuilder()
      .withUrl('/hubs/chat')
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (retry) => Math.min(1000 * 2 ** retry.previousRetryCount, 15000) })
      .configureLogging(LogLevel.Warning)
      .build();
    this.connection.on('MessageAdded', handlers.MessageAdded);
    this.connection.on('ConversationUpdated', handlers.ConversationUpdated);
    this.connection.onreconnected(onResync);
    this.connection.onclose(() => {
      if (!this.stopped) {
        window.setTimeout(() => void this.start(onResync), 5000);
      }
    });
  }

  async start(onConnected: () => void): Promise<void> {
    if (this.stopped || this.connection.state !== HubConnectionState.Disconnected) {
      return;
    }
    try {
      await this.connection.start();
      onConnected();
    } catch {
      window.setTimeout(() => void this.start(onConnected), 5000);
    }
  }

  stop(): Promise<void> {
    this.stopped = true;
    return this.connection.stop();
  }
}
