import type { HubException } from './ports';

/**
 * Hears of every exception recorded by any store of the process (metrics count them by kind,
 * channel and warehouse) without this library depending on a metrics library. `created` is false
 * when the record added to an exception already open for the same item.
 */
export type ExceptionObserver = (exception: HubException, created: boolean) => void;

let observer: ExceptionObserver | null = null;

/** Sets the process's exception observer; null removes it. */
export function observeExceptions(next: ExceptionObserver | null): void {
  observer = next;
}

/** Tells the observer of a record and hands the result back; a failing observer changes nothing. */
export function recorded<R extends { exception: HubException; created: boolean }>(result: R): R {
  try {
    observer?.(result.exception, result.created);
  } catch {
    // Metrics are never a reason to lose the record that was just made.
  }
  return result;
}
