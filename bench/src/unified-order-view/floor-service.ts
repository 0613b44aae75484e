/**
 * How the floor row's process is found: its entry (relative to the repository root) and the
 * service name it reports its port under. Its own module, so the suite can name the process
 * without loading the server, and the server stays free of the harness.
 */
export const FLOOR_ENTRY = 'bench/src/unified-order-view/floor-server.ts';

/** The name in the `{"service":…,"port":…}` line startServiceProcess waits for. */
export const FLOOR_SERVICE = 'order-view-floor';
