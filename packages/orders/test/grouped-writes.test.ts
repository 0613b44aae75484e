import { afterEach, describe, expect, it } from '@jest/globals';
import { MongoClient, MongoNetworkError, MongoServerSelectionError, type Collection, type CommandStartedEvent } from 'mongodb';
import { GroupedWrites, isDuplicateKey, RefusedWriteError, UnansweredWriteError } from '../src/grouped-writes';
import { useFerretDb } from './mongo-fixture';

interface Item {
  _id: string;
  n: number;
}

describe('GroupedWrites on FerretDB', () => {
  const { server } = useFerretDb();
  const clients: MongoClient[] = [];
  let databases = 0;
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  /** A client that records the commands it sends, and a fresh collection. */
  async function open(options: { serverSelectionTimeoutMS?: number } = {}) {
    const client = new MongoClient(server().url, { monitorCommands: true, serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 2_000 });
    clients.push(client);
    const commands: string[] = [];
    client.on('commandStarted', (event: CommandStartedEvent) => commands.push(event.commandName));
    await client.connect();
    const collection = client.db(`grouped_${process.pid}_${(databases += 1)}`).collection<Item>('items');
    return { collection, commands };
  }

  it('sends writes issued together as a few commands, and each caller learns its own outcome', async () => {
    const { collection, commands } = await open();
    const group = new GroupedWrites(collection, { maxInFlight: 1 });
    await collection.insertOne({ _id: 'taken', n: 0 });
    commands.length = 0;

    const outcomes = await Promise.allSettled(
      ['a', 'b', 'taken', 'c', 'd'].map((id, n) => group.write({ insertOne: { document: { _id: id, n } } })),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const refused = outcomes[2];
    expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(RefusedWriteError);
    expect(refused?.status === 'rejected' && isDuplicateKey(refused.reason)).toBe(true);
    expect(commands.filter((name) => name === 'insert')).toHaveLength(1);
    expect(await collection.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'a', n: 0 },
      { _id: 'b', n: 1 },
      { _id: 'c', n: 3 },
      { _id: 'd', n: 4 },
      { _id: 'taken', n: 0 },
    ]);
  });

  it('groups the writes that arrive while a command is in flight into the next one', async () => {
    const { collection, commands } = await open();
    const group = new GroupedWrites(collection, { maxInFlight: 1 });
    const first = group.write({ insertOne: { document: { _id: 'first', n: 0 } } });
    // Issued on later turns of the event loop, while the first command is still on its way.
    await new Promise((resolve) => setImmediate(resolve));
    const later = Array.from({ length: 10 }, (_, n) => group.write({ insertOne: { document: { _id: `later-${n}`, n } } }));
    await Promise.all([first, ...later]);
    expect(commands.filter((name) => name === 'insert')).toHaveLength(2);
    expect(await collection.countDocuments()).toBe(11);

    await Promise.all([group.write({ replaceOne: { filter: { _id: 'first' }, replacement: { n: 100 } } }), group.write({ deleteOne: { filter: { _id: 'later-0' } } })]);
    expect(await collection.findOne({ _id: 'first' })).toEqual({ _id: 'first', n: 100 });
    expect(await collection.findOne({ _id: 'later-0' })).toBeNull();
  });

  it('fails every write of a group with the original error when the server cannot be reached, then works again', async () => {
    const { collection } = await open({ serverSelectionTimeoutMS: 500 });
    const group = new GroupedWrites(collection, { commandTimeoutMs: 3_000 });
    await server().kill();
    try {
      const outcomes = await Promise.allSettled(['x', 'y'].map((id) => group.write({ insertOne: { document: { _id: id, n: 1 } } })));
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        const reason: unknown = outcome.status === 'rejected' ? outcome.reason : null;
        // The driver now and then leaves a bulk write on a dead server pending: the deadline answers it.
        expect(reason instanceof MongoNetworkError || reason instanceof MongoServerSelectionError || reason instanceof UnansweredWriteError).toBe(true);
        expect(isDuplicateKey(reason)).toBe(false);
      }
    } finally {
      await server().restart();
    }
    await group.write({ insertOne: { document: { _id: 'x', n: 2 } } });
    expect(await collection.findOne({ _id: 'x' })).toEqual({ _id: 'x', n: 2 });
  });

  it('fails the writes of a command the server never answers, and frees its slot for the next', async () => {
    let calls = 0;
    // A stand-in for a driver whose first bulk write never settles, as seen after a server died.
    const silentOnce = {
      bulkWrite: () => {
        calls += 1;
        return calls === 1 ? new Promise<never>(() => undefined) : Promise.resolve({});
      },
    } as unknown as Collection<Item>;
    const group = new GroupedWrites(silentOnce, { commandTimeoutMs: 100 });
    await expect(group.write({ insertOne: { document: { _id: 'lost', n: 1 } } })).rejects.toBeInstanceOf(UnansweredWriteError);
    await expect(group.write({ insertOne: { document: { _id: 'next', n: 2 } } })).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});
