import type { OrderDocument } from './order-document';

/** An order document this process wrote, and when (performance.now()) it sent that write. */
export interface WrittenRevision {
  doc: OrderDocument;
  sentAt: number;
}

/**
 * The order documents this process wrote last, for a bounded number of orders: the first guess
 * of MongoOrderStore's next change to one of them, which saves reading it first. Only a guess:
 * another replica may have moved on, which the store's revision records catch.
 */
export class RecentRevisions {
  private readonly docs = new Map<string, WrittenRevision>();

  constructor(private readonly maxOrders = 2_000) {}

  /** `sentAt`: when the write of `doc` was sent (performance.now()), before the server could have applied it. */
  remember(doc: OrderDocument, sentAt: number): void {
    // Re-inserting moves the order to the end of the Map's order, so eviction takes the stalest.
    this.docs.delete(doc._id);
    this.docs.set(doc._id, { doc, sentAt });
    if (this.docs.size > this.maxOrders) {
      const oldest = this.docs.keys().next();
      if (!oldest.done) this.docs.delete(oldest.value);
    }
  }

  /** The last written document of the order, forgotten at once: a guess is used once, and a commit remembers what it wrote. */
  take(orderId: string): WrittenRevision | null {
    const written = this.docs.get(orderId) ?? null;
    this.docs.delete(orderId);
    return written;
  }
}
