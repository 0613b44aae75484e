import type { Duplex } from 'node:stream';

/**
 * Holds writes to client sockets until the event loop's current turn is over, then lets each
 * socket flush what it got in one system call. A gateway that keeps up writes one event per
 * socket per turn anyway; one that falls behind (a burst, a starved core) finds several events
 * ready for the same sockets in one turn, and then sends them together instead of paying a
 * `writev` per event and socket, which is what fan-out spends most of its time on.
 */
export class WriteBatching {
  private readonly held: Duplex[] = [];
  private scheduled = false;

  /**
   * Holds `transport`'s writes until the end of this turn. True for the first write of the turn:
   * what the socket holds unsent then is the client's own backlog, not this turn's batch.
   */
  hold(transport: Duplex & { writableCorked: number }): boolean {
    if (transport.writableCorked > 0 || transport.destroyed) return false;
    transport.cork();
    this.held.push(transport);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.release());
    }
    return true;
  }

  private release(): void {
    this.scheduled = false;
    for (const transport of this.held.splice(0)) {
      // ws corks and uncorks around each frame; only the outermost uncork flushes.
      while (transport.writableCorked > 0) transport.uncork();
    }
  }
}
