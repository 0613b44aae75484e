import type { ChannelConnector, PushItem, PushOutcome } from '../ports';
import { isRecord, postJson } from './http-push';

/** Options of the marketplace connector. */
export interface MarketplaceInventoryOptions {
  baseUrl: string;
  /** The marketplace's name in its feed path. */
  name: string;
  batchSize: number;
}

/**
 * A marketplace inventory feed: `POST /marketplace/<name>/inventory.json` with
 * `{ items: [{ sku, quantity, sequence }] }`; the answer lists each item's result. The sequence
 * lets the marketplace ignore a figure older than one it already has (`stale`), which counts as
 * acknowledged: the newer figure is what it shows.
 */
export class MarketplaceInventoryConnector implements ChannelConnector {
  readonly maxBatch: number;

  constructor(private readonly options: MarketplaceInventoryOptions) {
    this.maxBatch = options.batchSize;
  }

  async push(items: readonly PushItem[]): Promise<PushOutcome[]> {
    const body = { items: items.map((item) => ({ sku: item.sku, quantity: item.quantity, sequence: item.seq })) };
    const answer = await postJson(`${this.options.baseUrl}/marketplace/${this.options.name}/inventory.json`, body);
    if (!answer.ok) return items.map(() => answer.outcome);
    const results = isRecord(answer.body) && Array.isArray(answer.body.results) ? answer.body.results : [];
    const bySku = new Map(results.flatMap((r) => (isRecord(r) && typeof r.sku === 'string' ? [[r.sku, r] as const] : [])));
    return items.map((item): PushOutcome => {
      const result = bySku.get(item.sku);
      if (result?.status === 'accepted' || result?.status === 'stale') return { status: 'acknowledged' };
      return { status: 'rejected', reason: `the marketplace answered ${JSON.stringify(result ?? 'nothing')} for ${item.sku}`, payload: JSON.stringify(item) };
    });
  }
}
