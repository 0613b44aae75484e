import type { Identity } from '@crossdock/auth';
import { CommerceHttpConnector, ErpHttpConnector, WmsHttpConnector } from '@crossdock/connectors';
import { MemoryExceptionStore, MongoExceptionStore, type ExceptionStore } from '@crossdock/exceptions';
import { OrderCapture, type OrderCaptureDependencies } from '@crossdock/order-capture';
import { MemoryOrderStore, MongoOrderStore, type OrderStore } from '@crossdock/orders';
import {
  MemoryIdempotencyStore,
  MemoryReservationStore,
  RedisIdempotencyStore,
  RedisReservationStore,
  type IdempotencyStore,
  type ReservationStore,
} from '@crossdock/reservations';
import { createSubgraphServer } from '@crossdock/service';
import type { FallbackCache } from '@crossdock/snapshots';
import { startCommerceSimulator, startErpSimulator, startWmsSimulator, type RunningSimulator } from '@crossdock/simulators';
import { readSimulatorStats, resetSimulatorStats, setSimulatorFault, type SimulatorFaultMode } from '@crossdock/testkit';
import type { FormattedExecutionResult } from 'graphql';
import { createCommerceContext, type CommerceContext } from '../src/context';
import { buildCommerceSchema } from '../src/server';

/** The stores order capture writes to, and how to let go of them. */
export interface CaptureStores {
  reservationStore: ReservationStore;
  idempotencyStore: IdempotencyStore;
  orderStore: OrderStore;
  exceptionStore: ExceptionStore;
  close(): Promise<void>;
}

/** The in-process substitutes of all-in-one mode. */
export async function memoryStores(): Promise<CaptureStores> {
  return {
    reservationStore: new MemoryReservationStore(),
    idempotencyStore: new MemoryIdempotencyStore(),
    orderStore: new MemoryOrderStore(),
    exceptionStore: new MemoryExceptionStore(),
    close: async () => undefined,
  };
}

let storeSets = 0;

/**
 * Real Redis and a MongoDB-protocol server, under a key prefix and database of their own.
 * `onRedisError` takes the Redis clients' reconnect noise in tests that kill Redis on purpose.
 */
export async function realStores(redisUrl: string, mongoUrl: string, onRedisError?: (error: unknown) => void): Promise<CaptureStores> {
  storeSets += 1;
  const keyPrefix = `capture-test-${process.pid}-${storeSets}:`;
  const redis = { url: redisUrl, keyPrefix, ...(onRedisError ? { onConnectionError: onRedisError } : {}) };
  const reservationStore = await RedisReservationStore.connect(redis);
  const idempotencyStore = await RedisIdempotencyStore.connect(redis);
  const dbName = `capture_${process.pid}_${storeSets}`;
  const orderStore = await MongoOrderStore.connect(mongoUrl, { dbName, serverSelectionTimeoutMS: 2_000 });
  const exceptionStore = await MongoExceptionStore.connect(mongoUrl, { dbName, serverSelectionTimeoutMS: 2_000 });
  return {
    reservationStore,
    idempotencyStore,
    orderStore,
    exceptionStore,
    close: async () => {
      await Promise.all([reservationStore.close(), idempotencyStore.close(), orderStore.close(), exceptionStore.close()]);
    },
  };
}

/** Backend simulators by name. */
export interface CaptureSimulators {
  erp: RunningSimulator;
  wms: RunningSimulator;
  commerce: RunningSimulator;
}

/** The commerce subgraph in process over real simulators, real connectors and the given stores. */
export interface CaptureHarness {
  sims: CaptureSimulators;
  erp: ErpHttpConnector;
  wms: WmsHttpConnector;
  commerce: CommerceHttpConnector;
  stores: CaptureStores;
  capture: OrderCapture;
  /** Runs an operation as the HTTP service would, with a fresh context. */
  run<TData = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, caller?: Identity | null): Promise<FormattedExecutionResult<TData>>;
  /** Faults one simulator (the commerce platform unless named). */
  setFault(mode: SimulatorFaultMode, backend?: keyof CaptureSimulators): Promise<void>;
  /** Requests the commerce simulator served since the last reset. */
  backendRequests(): Promise<number>;
  resetBackendRequests(): Promise<void>;
  close(): Promise<void>;
}

export interface CaptureHarnessOptions {
  stores?: () => Promise<CaptureStores>;
  policy?: OrderCaptureDependencies['policy'];
  /** Run the outbox worker and expiry sweeper in the background (default false: tests drive them). */
  background?: boolean;
  /** The fallback cache contexts answer from while the platform is down (default: none). */
  snapshots?: FallbackCache | null;
}

/** Policy for tests: quick retries, so a healed backend is posted to within a second or two. */
export const TEST_POLICY: NonNullable<OrderCaptureDependencies['policy']> = {
  outbox: { maxAttempts: 20, baseDelayMs: 50, maxDelayMs: 200 },
  outboxIntervalMs: 50,
  duplicatePollMs: 20,
};

/** Starts the ERP, WMS and commerce simulators on free ports and the subgraph in process over them. */
export async function startCaptureHarness(options: CaptureHarnessOptions = {}): Promise<CaptureHarness> {
  const [erpSim, wmsSim, commerceSim] = await Promise.all([startErpSimulator({ port: 0 }), startWmsSimulator({ port: 0 }), startCommerceSimulator({ port: 0 })]);
  const sims: CaptureSimulators = { erp: erpSim, wms: wmsSim, commerce: commerceSim };
  const erp = new ErpHttpConnector({ baseUrl: erpSim.url });
  const wms = new WmsHttpConnector({ baseUrl: wmsSim.url });
  const commerce = new CommerceHttpConnector({ baseUrl: commerceSim.url });
  const stores = await (options.stores ?? memoryStores)();
  const capture = new OrderCapture({ erp, wms, commerce, ...stores, policy: { ...TEST_POLICY, ...options.policy } });
  if (options.background) capture.start();
  const server = createSubgraphServer<CommerceContext>(buildCommerceSchema());
  await server.start();
  return {
    sims,
    erp,
    wms,
    commerce,
    stores,
    capture,
    async run<TData>(query: string, variables?: Record<string, unknown>, caller: Identity | null = null) {
      const response = await server.executeOperation<TData>(
        { query, ...(variables ? { variables } : {}) },
        { contextValue: createCommerceContext({ commerce, capture, snapshots: options.snapshots ?? null }, caller) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult;
    },
    setFault: (mode, backend = 'commerce') => setSimulatorFault(sims[backend].url, { mode }),
    backendRequests: async () => (await readSimulatorStats(commerceSim.url)).total,
    resetBackendRequests: () => resetSimulatorStats(commerceSim.url),
    async close() {
      await capture.stop();
      await server.stop();
      await Promise.all([erp.close(), wms.close(), commerce.close()]);
      await stores.close();
      await Promise.all([erpSim.close(), wmsSim.close(), commerceSim.close()]);
    },
  };
}
