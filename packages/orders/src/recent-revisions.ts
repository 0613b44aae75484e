import type { OrderDocument } from './order-document';

/**
 * The order documents this process wrote last, for a bounded number of orders: the first guess
 * of MongoOrderStore's next change to one of them, which saves reading it first. Only a guess:
 * the store checks the stored revision before writing, and another replica may have moved on.
 */
export class RecentRevisions {
  private readonly docs = new Map<string, OrderDocument>();

  constructor(private readonly maxOrders = 2_000) {}

  remember(doc: OrderDocument): void {
    // Re-inserting moves the order to the end of the Map's order, so eviction takes the stalest.
    this.docs.delete(doc._id);
    this.docs.set(doc._id, doc);
    if (this.docs.size > this.maxOrders) {
      const oldest = this.docs.keys().next();
      if (!oldest.done) this.docs.delete(oldest.value);
    }
  }

  /** The last written document of the order, forgotten at once: a guess is used once, and a commit remembers what it wrote. */
  take(orderId: string): OrderDocument | null {
    const doc = this.docs.get(orderId) ?? null;
    this.docs.delete(orderId);
    return doc;
  }
}
