import type { HubStack } from '@crossdock/testkit';

/**
 * startHubStack starts its processes outside the harness's tracking (service-processes.ts), so
 * run.ts's exit and signal handlers would leave them running. This stops the stack on process
 * exit, SIGINT and SIGTERM too. `stack.stop()` sends every child SIGTERM before its first await,
 * so the signal goes out even when run.ts calls process.exit right after. Returns the undo.
 */
export function stopStackOnExit(stack: HubStack): () => void {
  const stopNow = (): void => void stack.stop();
  const events = ['exit', 'SIGINT', 'SIGTERM'] as const;
  for (const event of events) process.once(event, stopNow);
  return () => {
    for (const event of events) process.off(event, stopNow);
  };
}
