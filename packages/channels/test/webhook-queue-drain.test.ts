import { describe, expect, it } from '@jest/globals';
import { MemoryExceptionStore, type ExceptionReport, type HubException } from '@crossdock/exceptions';
import { MemoryOrderStore } from '@crossdock/orders';
import { MemoryChannelStore, MemoryWebhookQueue, WebhookInbox, WebhookQueueDrain, type MappedChannelConfig, type QueuedWebhook, type TakenWebhook, type TakeOptions, type WebhookDelivery } from '../src';

function accepted(id: string): Extract<QueuedWebhook, { kind: 'accepted' }> {
  return { kind: 'accepted', id: `shopify:${id}`, source: 'shopify', topic: 'orders/create', rawBody: `{"id":${id}}`, receivedAt: '2026-11-27T07:00:00.000Z' };
}

/** A channel store whose inbox refuses the deliveries named in `refused` (as a store refuses a document it cannot take). */
class RefusingChannelStore extends MemoryChannelStore {
  readonly refused = new Set<string>();

  override async enqueueWebhook(delivery: WebhookDelivery): Promise<'inserted' | 'exists'> {
    if (this.refused.has(delivery.id)) throw new Error(`document for ${delivery.id} refused by the store`);
    return super.enqueueWebhook(delivery);
  }
}

/** An exception store that is down while `down` is set. */
class FlakyExceptionStore extends MemoryExceptionStore {
  down = false;

  override async record(report: ExceptionReport, now?: Date): Promise<{ exception: HubException; created: boolean }> {
    if (this.down) throw new Error('exception store unavailable');
    return super.record(report, now);
  }
}

/** An inbox only for its replay handler: nothing is processed in these tests. */
function replayingInbox(store: MemoryChannelStore, exceptions: MemoryExceptionStore): WebhookInbox {
  const notHere = () => Promise.reject(new Error('no order capture in this test'));
  return new WebhookInbox({
    store,
    exceptions,
    capture: { placeOrder: notHere, cancelOrder: notHere, orders: new MemoryOrderStore() },
    shopify: null,
    mapped: [],
    policy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
    intervalMs: 60_000,
  });
}

async function openExceptions(exceptions: MemoryExceptionStore): Promise<HubException[]> {
  return (await exceptions.list({ kinds: ['malformed-webhook'], states: ['open'] }, { first: 50, after: null })).items;
}

/** A drain over a memory queue and a store that refuses `refused`, with `attempts` / `giveUpMs` before it gives up on one. */
async function refusingDrain(refused: string, appended: readonly string[], limits: { entryAttempts: number; giveUpMs: number }) {
  const queue = new MemoryWebhookQueue();
  const store = new RefusingChannelStore();
  const exceptions = new FlakyExceptionStore();
  const drain = new WebhookQueueDrain({ queue, store, exceptions, onStored: () => undefined, ...limits });
  store.refused.add(`shopify:${refused}`);
  for (const id of appended) await queue.appendOnce(accepted(id));
  return { queue, store, exceptions, drain };
}

describe('webhook queue drain', () => {
  it('stores the entries behind one the inbox cannot take; that one becomes an exception after its attempts, and its replay stores it', async () => {
    const { queue, store, exceptions, drain } = await refusingDrain('2', ['1', '2', '3'], { entryAttempts: 3, giveUpMs: 0 });

    await expect(drain.runOnce(0)).rejects.toThrow('document for shopify:2 refused by the store');
    expect(await store.webhook('shopify:1')).not.toBeNull();
    expect(await store.webhook('shopify:3')).not.toBeNull();
    expect(await queue.depth()).toBe(1);
    await expect(drain.runOnce(0)).rejects.toThrow('refused by the store');
    expect(await openExceptions(exceptions)).toEqual([]);

    // Third failure: given up on, kept as an exception, settled.
    expect(await drain.runOnce(0)).toBe(1);
    expect(await queue.depth()).toBe(0);
    const [exception, ...others] = await openExceptions(exceptions);
    expect(others).toEqual([]);
    expect(exception).toMatchObject({ kind: 'malformed-webhook', subject: 'shopify:2', attempts: 3 });
    expect(exception?.reason).toMatch(/^could not be stored in the webhook inbox after 3 attempts over \d+ s: document for shopify:2 refused by the store$/);
    expect(JSON.parse(exception?.rawPayload ?? 'null')).toEqual(accepted('2'));

    // Fixed: the replay stores the delivery as it was queued, once.
    store.refused.clear();
    const replay = replayingInbox(store, exceptions).replayHandler();
    if (!exception) throw new Error('no exception');
    expect(await replay(exception)).toEqual({ replayed: true, note: 'delivery shopify:2 stored in the inbox and queued for processing' });
    expect(await store.webhook('shopify:2')).toMatchObject({ id: 'shopify:2', state: 'PENDING', rawBody: '{"id":2}', receivedAt: '2026-11-27T07:00:00.000Z' });
  });

  it('keeps an entry queued while the exception store is down too: nothing is settled that is stored nowhere', async () => {
    const { queue, exceptions, drain } = await refusingDrain('9', ['9'], { entryAttempts: 2, giveUpMs: 0 });
    exceptions.down = true;
    for (let round = 0; round < 4; round += 1) await expect(drain.runOnce(0)).rejects.toThrow('refused by the store');
    expect(await queue.depth()).toBe(1);
    exceptions.down = false;
    expect(await drain.runOnce(0)).toBe(1);
    expect(await queue.depth()).toBe(0);
    expect((await openExceptions(exceptions)).map((e) => e.subject)).toEqual(['shopify:9']);
  });

  it('does not give up before giveUpMs has passed, however many attempts failed', async () => {
    const { queue, exceptions, drain } = await refusingDrain('5', ['5'], { entryAttempts: 1, giveUpMs: 60_000 });
    for (let round = 0; round < 3; round += 1) await expect(drain.runOnce(0)).rejects.toThrow('refused by the store');
    expect(await queue.depth()).toBe(1);
    expect(await openExceptions(exceptions)).toEqual([]);
  });

  it('keeps an entry it cannot read as an exception with its text at once, and settles it', async () => {
    const inner = new MemoryWebhookQueue();
    await inner.appendOnce(accepted('4'));
    let injected = false;
    // The queue hands out one unreadable entry (as a Redis entry written by something else would be) before its own.
    const queue = Object.assign(Object.create(inner) as MemoryWebhookQueue, {
      async take(consumer: string, options: TakeOptions): Promise<TakenWebhook[]> {
        const own = await inner.take(consumer, options);
        if (injected) return own;
        injected = true;
        return [{ entryId: '1-0', webhook: null, unreadable: { raw: 'not json', problem: 'not JSON (Unexpected token)' } }, ...own];
      },
      async settle(entryIds: readonly string[]): Promise<void> {
        settled.push(...entryIds);
        await inner.settle(entryIds.filter((id) => id !== '1-0'));
      },
    });
    const settled: string[] = [];
    const store = new MemoryChannelStore();
    const exceptions = new MemoryExceptionStore();
    let stored = 0;
    const drain = new WebhookQueueDrain({ queue, store, exceptions, onStored: () => (stored += 1) });
    expect(await drain.runOnce(0)).toBe(2);
    expect(settled).toContain('1-0');
    expect(stored).toBe(1);
    expect(await store.webhook('shopify:4')).not.toBeNull();
    const [exception] = await openExceptions(exceptions);
    expect(exception).toMatchObject({ subject: 'webhook-queue:1-0', rawPayload: 'not json', reason: 'the webhook queue entry could not be read: not JSON (Unexpected token)' });
    // Not replayable: nothing says what it was.
    const replay = replayingInbox(store, exceptions).replayHandler();
    if (!exception) throw new Error('no exception');
    expect(await replay(exception)).toMatchObject({ replayed: false });
  });

  it('the inbox takes changed channel files whole: a mapping that does not compile refuses the set', () => {
    const inbox = replayingInbox(new MemoryChannelStore(), new MemoryExceptionStore());
    const mapped = (name: string, expression: string): MappedChannelConfig => ({
      kind: 'mapped',
      name,
      channel: 'marketplace',
      mapping: `${name}.jsonata`,
      secretEnv: 'X',
      signatureHeader: 'x-signature',
      deliveryIdHeader: 'x-delivery',
      secret: 's',
      expression,
    });
    expect(inbox.mappedChannels).toEqual([]);
    inbox.replaceChannels({ shopify: null, mapped: [mapped('bazaar', '$')] });
    expect(inbox.mappedChannels).toEqual(['bazaar']);
    expect(() => inbox.replaceChannels({ shopify: null, mapped: [mapped('bazaar', '$'), mapped('broken', '$.(')] })).toThrow('mapping of channel broken does not compile');
    expect(inbox.mappedChannels).toEqual(['bazaar']);
  });
});
