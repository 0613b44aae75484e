import { setTimeout as sleep } from 'node:timers/promises';
import { BackendError, type ConnectorOptions } from '@crossdock/connectors';
import { resilientConnector, type ResilientConnection, type ResilientConnectorOptions } from '../src/index';

/** The BackendError a call failed with; fails the test if it succeeded or threw something else. */
export async function backendFailure(promise: Promise<unknown>): Promise<BackendError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BackendError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Polls until `check` holds; fails with `what` after `timeoutMs` (bounded: no test waits forever). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Thresholds no test reaches: for tests about retries, where the circuit must stay closed. */
export const NEVER_OPENS = { minimumCalls: 100_000, consecutiveFailures: 100_000 } as const;

/** Opens, closes and tracks connectors for one test file; `closeAll` in afterEach. */
export class Connections {
  private readonly open: { close(): Promise<void> }[] = [];

  connect<K extends { close(): Promise<void> }>(
    Connector: new (options: ConnectorOptions) => K,
    options: ResilientConnectorOptions<K>,
  ): ResilientConnection<K> {
    const connection = resilientConnector(Connector, options);
    this.open.push(connection.connector);
    return connection;
  }

  async closeAll(): Promise<void> {
    for (const connector of this.open.splice(0)) await connector.close();
  }
}
