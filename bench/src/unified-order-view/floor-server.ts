/**
 * The "hand-written client (floor)" row as a process: a bare node:http server that answers the
 * same POST body the gateway gets by calling the floor client, so autocannon drives both rows the
 * same way and the floor's CPU and memory are its own, as the gateway's are.
 *
 * Reads PORT (0 picks a free one) and ERP_URL, WMS_URL, COMMERCE_URL, SHIPPING_URL once at start.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { reportListening } from '../federation/peer-config';
import { createOrderViewFloor, type BackendUrls, type OrderViewFloor } from './floor-client';
import { FLOOR_SERVICE } from './floor-service';

/** The UNIFIED_ORDER_VIEW body is under 2 KiB; anything far larger is not the benchmark's request. */
const MAX_BODY_BYTES = 64 * 1024;
/** The largest `first` the commerce subgraph accepts, so both rows refuse the same requests. */
const MAX_FIRST = 100;

interface FloorConfig {
  port: number;
  backends: BackendUrls;
}

function readFloorConfig(env: NodeJS.ProcessEnv): FloorConfig {
  const port = Number(env.PORT ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be an integer from 0 to 65535, got "${env.PORT}"`);
  const url = (name: string): string => {
    const value = env[name];
    if (!value || !URL.canParse(value)) throw new Error(`${name} must be the backend's base URL, got "${value ?? ''}"`);
    return value;
  };
  return { port, backends: { erp: url('ERP_URL'), wms: url('WMS_URL'), commerce: url('COMMERCE_URL'), shipping: url('SHIPPING_URL') } };
}

async function answer(floor: OrderViewFloor, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let first: number;
  try {
    first = firstOf(await readBody(req));
  } catch (error) {
    return send(res, 400, { errors: [{ message: error instanceof Error ? error.message : String(error) }] });
  }
  try {
    send(res, 200, { data: await floor.read(first) });
  } catch (error) {
    // Same envelope as a GraphQL error, so the suite's body check counts it the same way.
    send(res, 502, { errors: [{ message: error instanceof Error ? error.message : String(error) }] });
  }
}

/** `variables.first` of a GraphQL-over-HTTP body; the query text is the client's contract, not parsed. */
function firstOf(body: string): number {
  const parsed: unknown = JSON.parse(body);
  const variables = typeof parsed === 'object' && parsed !== null && 'variables' in parsed ? parsed.variables : undefined;
  const first = typeof variables === 'object' && variables !== null && 'first' in variables ? variables.first : undefined;
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > MAX_FIRST) {
    throw new Error(`variables.first must be a whole number from 1 to ${MAX_FIRST}`);
  }
  return first;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error(`body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

function main(): void {
  const config = readFloorConfig(process.env);
  const floor = createOrderViewFloor(config.backends);
  const server = createServer((req, res) => void answer(floor, req, res));
  server.listen(config.port, '127.0.0.1', () => reportListening(FLOOR_SERVICE, (server.address() as AddressInfo).port)); // a TCP listener
  const stop = (): void => {
    // Keep-alive connections of the load generator would hold close() open.
    server.closeAllConnections();
    server.close();
    floor.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
