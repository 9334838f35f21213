// LISTEN on PostgreSQL: one dedicated connection per channel (a pooled one would be handed
// to other queries), reconnected with a growing pause whenever it drops. Between a drop and
// the next successful LISTEN the listener reports 'lost': notifications sent meanwhile are
// gone for good, so whoever relies on them must stop trusting what they told it.
import pg from 'pg';
import type { CatalogEvent } from '../db.js';

/** A CatalogEvent; notifications also name the backend process that sent them. */
export type ListenerEvent = Exclude<CatalogEvent, { kind: 'notify' }> | { kind: 'notify'; payload: string; senderPid: number };

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;

export class PgListener {
  private client: pg.Client | null = null;
  private closed = false;
  private retryMs = RETRY_MIN_MS;
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly connectionString: string,
    private readonly channel: string,
    private readonly fn: (event: ListenerEvent) => void,
  ) {}

  /** Resolves once listening (or once the first attempt failed: it keeps retrying). */
  static async start(connectionString: string, channel: string, fn: (event: ListenerEvent) => void): Promise<PgListener> {
    const listener = new PgListener(connectionString, channel, fn);
    await listener.connect();
    return listener;
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.connectionString, application_name: `trove-listen-${this.channel}` });
    this.client = client;
    let dropped = false;
    const drop = () => {
      if (dropped) return;
      dropped = true;
      client.end().catch(() => {});
      if (this.client === client) this.client = null;
      if (this.closed) return;
      this.fn({ kind: 'lost' });
      this.timer = setTimeout(() => void this.connect(), this.retryMs);
      this.timer.unref();
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    };
    client.on('error', drop);
    client.on('end', drop);
    client.on('notification', (n) => {
      if (n.channel === this.channel) this.fn({ kind: 'notify', payload: n.payload ?? '', senderPid: n.processId });
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
      this.retryMs = RETRY_MIN_MS;
      this.fn({ kind: 'ready' });
    } catch {
      drop();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.client?.end().catch(() => {});
  }
}
