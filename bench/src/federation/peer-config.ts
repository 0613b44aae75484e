/** What a peer gateway entry reads at start: the same two variables the Crossdock gateway reads. */
export interface PeerConfig {
  /** Port to listen on; 0 picks a free one, which is then reported on stdout. */
  port: number;
  /** Absolute path of the supergraph SDL to serve. */
  supergraphPath: string;
}

/** Reads and validates PORT and SUPERGRAPH_PATH once, with a message per bad value. */
export function readPeerConfig(env: NodeJS.ProcessEnv): PeerConfig {
  const port = Number(env.PORT ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got "${env.PORT}"`);
  }
  const supergraphPath = env.SUPERGRAPH_PATH;
  if (!supergraphPath) throw new Error('SUPERGRAPH_PATH must name the supergraph SDL file');
  return { port, supergraphPath };
}

/** Prints the line `startServiceProcess` waits for. */
export function reportListening(service: string, port: number): void {
  console.log(JSON.stringify({ service, port }));
}
