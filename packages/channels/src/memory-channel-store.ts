import { claimKey, mayReclaim } from './claims';
import type { ChannelStore, DocumentDelivery, DocumentFilter, EdiDocument, EdiDocumentType, InterchangeRecord, Page, PurchaseOrderRecord, WebhookDelivery } from './ports';

/** The in-process channel store of all-in-one mode (nothing survives a restart). */
export class MemoryChannelStore implements ChannelStore {
  private readonly interchanges = new Map<string, InterchangeRecord>();
  private readonly purchaseOrders = new Map<string, PurchaseOrderRecord>();
  private readonly documentsById = new Map<string, EdiDocument>();
  private readonly documentKeys = new Map<string, string>();
  private readonly controlNumbers = new Map<string, number>();
  /** Claim key → when it was made (ms). */
  private readonly claims = new Map<string, number>();
  private readonly webhooks = new Map<string, WebhookDelivery>();

  constructor(private readonly claimMs = 60_000) {}

  async claimInterchange(record: InterchangeRecord): Promise<{ created: true } | { created: false; existing: InterchangeRecord }> {
    const existing = this.interchanges.get(record.id);
    if (existing) return { created: false, existing: structuredClone(existing) };
    this.interchanges.set(record.id, structuredClone(record));
    return { created: true };
  }

  async finishInterchange(id: string, result: string): Promise<void> {
    const record = this.interchanges.get(id);
    if (record) this.interchanges.set(id, { ...record, state: 'done', result });
  }

  async claimPurchaseOrder(record: PurchaseOrderRecord, now: Date, staleMs: number) {
    const existing = this.purchaseOrders.get(record.id);
    if (!existing) {
      this.purchaseOrders.set(record.id, structuredClone(record));
      return { status: 'claimed' as const, record };
    }
    const next = mayReclaim(existing, now, staleMs);
    const claim = `po:${record.id}#${next}`;
    if (next === null || this.claims.has(claim)) return { status: 'duplicate' as const, record: structuredClone(existing) };
    this.claims.set(claim, now.getTime());
    const claimed = { ...record, attempt: next };
    this.purchaseOrders.set(record.id, structuredClone(claimed));
    return { status: 'claimed' as const, record: claimed };
  }

  async savePurchaseOrder(record: PurchaseOrderRecord): Promise<void> {
    this.purchaseOrders.set(record.id, structuredClone(record));
  }

  async purchaseOrder(id: string): Promise<PurchaseOrderRecord | null> {
    const found = this.purchaseOrders.get(id);
    return found ? structuredClone(found) : null;
  }

  async purchaseOrdersByOrderIds(orderIds: readonly string[]): Promise<PurchaseOrderRecord[]> {
    const wanted = new Set(orderIds);
    return [...this.purchaseOrders.values()].filter((po) => po.orderId !== null && wanted.has(po.orderId)).map((po) => structuredClone(po));
  }

  async claimDuePurchaseOrderRetries(now: Date, limit: number): Promise<PurchaseOrderRecord[]> {
    const due = [...this.purchaseOrders.values()].flatMap((po) => (po.outcome === 'queued' && po.retry && po.retry.nextAttemptAt <= now.toISOString() ? [{ po, retry: po.retry }] : []));
    due.sort((a, b) => a.retry.nextAttemptAt.localeCompare(b.retry.nextAttemptAt));
    return due
      .slice(0, limit)
      .filter(({ po, retry }) => this.claim(claimKey('po-retry', po.id, retry, now, this.claimMs), now))
      .map(({ po }) => structuredClone(po));
  }

  async openFollowUps(limit: number): Promise<PurchaseOrderRecord[]> {
    return [...this.purchaseOrders.values()]
      .filter((po) => po.followUpsOpen && po.outcome === 'accepted')
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
      .slice(0, limit)
      .map((po) => structuredClone(po));
  }

  async closeFollowUps(record: PurchaseOrderRecord): Promise<void> {
    await this.savePurchaseOrder(record);
  }

  async nextControlNumber(partnerId: string): Promise<number> {
    const n = (this.controlNumbers.get(partnerId) ?? 0) + 1;
    this.controlNumbers.set(partnerId, n);
    return n;
  }

  async addDocument(document: EdiDocument): Promise<'inserted' | 'exists'> {
    const key = `${document.partnerId}:${document.type}:${document.reference}`;
    if (this.documentKeys.has(key) || this.documentsById.has(document.id)) return 'exists';
    this.documentKeys.set(key, document.id);
    this.documentsById.set(document.id, structuredClone(document));
    return 'inserted';
  }

  async documentByReference(partnerId: string, type: EdiDocumentType, reference: string): Promise<EdiDocument | null> {
    const id = this.documentKeys.get(`${partnerId}:${type}:${reference}`);
    const found = id ? this.documentsById.get(id) : undefined;
    return found ? structuredClone(found) : null;
  }

  async documents(ids: readonly string[]): Promise<(EdiDocument | null)[]> {
    return ids.map((id) => {
      const found = this.documentsById.get(id);
      return found ? structuredClone(found) : null;
    });
  }

  async listDocuments(filter: DocumentFilter, page: { first: number; after: string | null }): Promise<Page<EdiDocument>> {
    const matching = [...this.documentsById.values()]
      .filter((d) => (filter.partnerIds === null || filter.partnerIds.includes(d.partnerId)) && (!filter.types?.length || filter.types.includes(d.type)) && (!filter.orderId || d.orderId === filter.orderId))
      .filter((d) => page.after === null || d.id < page.after)
      .sort((a, b) => b.id.localeCompare(a.id));
    const items = matching.slice(0, page.first).map((d) => structuredClone(d));
    return { items, nextCursor: matching.length > page.first ? (items[items.length - 1]?.id ?? null) : null };
  }

  async claimDueDocuments(now: Date, limit: number): Promise<EdiDocument[]> {
    const due = [...this.documentsById.values()]
      .filter((d) => d.delivery.state === 'QUEUED' && d.delivery.nextAttemptAt <= now.toISOString())
      .sort((a, b) => a.delivery.nextAttemptAt.localeCompare(b.delivery.nextAttemptAt))
      .slice(0, limit);
    return due.filter((d) => this.claim(claimKey('doc', d.id, d.delivery, now, this.claimMs), now)).map((d) => structuredClone(d));
  }

  async updateDelivery(id: string, delivery: DocumentDelivery): Promise<void> {
    const found = this.documentsById.get(id);
    if (found) this.documentsById.set(id, { ...found, delivery: { ...delivery } });
  }

  async enqueueWebhook(delivery: WebhookDelivery): Promise<'inserted' | 'exists'> {
    if (this.webhooks.has(delivery.id)) return 'exists';
    this.webhooks.set(delivery.id, structuredClone(delivery));
    return 'inserted';
  }

  async claimDueWebhooks(now: Date, limit: number): Promise<WebhookDelivery[]> {
    const due = [...this.webhooks.values()]
      .filter((w) => w.state === 'PENDING' && w.nextAttemptAt <= now.toISOString())
      .sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt))
      .slice(0, limit);
    return due.filter((w) => this.claim(claimKey('webhook', w.id, w, now, this.claimMs), now)).map((w) => structuredClone(w));
  }

  async updateWebhook(delivery: WebhookDelivery): Promise<void> {
    this.webhooks.set(delivery.id, structuredClone(delivery));
  }

  async webhook(id: string): Promise<WebhookDelivery | null> {
    const found = this.webhooks.get(id);
    return found ? structuredClone(found) : null;
  }

  async close(): Promise<void> {}

  async sweepClaims(before: Date): Promise<number> {
    let swept = 0;
    for (const [key, at] of this.claims) {
      if (at < before.getTime() && this.claims.delete(key)) swept += 1;
    }
    return swept;
  }

  private claim(key: string, now: Date): boolean {
    if (this.claims.has(key)) return false;
    this.claims.set(key, now.getTime());
    return true;
  }
}
