import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { limitsPolicyFrom } from '../../src/limits/limits-policy';
import { sha256, TrustedDocuments } from '../../src/trusted-documents/trusted-documents';
import { startSubscriptionGraph, type SubscriptionGraph } from '../support/subscription-graph';
import { testToken } from '../support/test-gateway';
import { eventually, gatewayClient, probe } from '../support/ws-subscriber';

const REGISTERED = 'subscription Stock($skus: [ID!]) { inventoryChanged(skus: $skus) { sku onHand product { name } } }';

describe('gateway subscriptions: trusted documents', () => {
  let graph: SubscriptionGraph;

  beforeAll(async () => {
    graph = await startSubscriptionGraph({
      limits: limitsPolicyFrom({ classes: { portal: { trustedOnly: true } } }),
      trustedDocuments: TrustedDocuments.fromManifest({ [sha256(REGISTERED)]: REGISTERED }),
    });
  });
  afterAll(async () => graph?.close());

  it('runs a registered subscription sent by id for a trusted-only client and refuses any other', async () => {
    const client = gatewayClient(graph.wsUrl, await testToken({ scopes: ['inventory:read'], customerId: 'C-1' }));
    try {
      const byId = client.subscribe<Record<string, unknown>>(
        { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: sha256(REGISTERED) } }, variables: { skus: ['SKU-T'] } },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
      const registered = probe(client, REGISTERED, { skus: ['SKU-T'] });
      const other = probe(client, 'subscription { inventoryChanged { sku } }');
      await other.waitForEnd();
      expect(other.failure).toEqual([expect.objectContaining({ extensions: { code: 'OPERATION_NOT_TRUSTED' } })]);
      await eventually(() => graph.gateway.subscriptions.stats().subscribers === 2 && graph.stock.stats.subscribes === 1, 5_000, 'both subscribed');
      graph.stockEvents.append({ sku: 'SKU-T', warehouseId: 'W-1', onHand: 9 });
      await registered.waitForEvents(1);
      expect(registered.events[0]?.data).toEqual({ inventoryChanged: { sku: 'SKU-T', onHand: 9, product: { name: 'Product SKU-T' } } });
      // The document sent by id and in full is one operation: they share one upstream subscription.
      expect(graph.gateway.subscriptions.stats()).toMatchObject({ upstreamSubscriptions: 1, subscribers: 2 });
      byId();
    } finally {
      await client.dispose();
    }
  });
});
