/** One backend call as an observer sees it. */
export interface BackendCall {
  backend: string;
  method: string;
  /** Path below the base URL, without the query string. */
  path: string;
}

/**
 * Watches every backend call of the process (metrics, traces) without this library depending on
 * either: `around` runs the call through `send`, and may time it, trace it and hand `send`
 * headers to add to the request (W3C `traceparent`). It must return or throw exactly what `send`
 * does.
 */
export interface BackendCallObserver {
  around<T>(call: BackendCall, send: (headers: Readonly<Record<string, string>>) => Promise<T>): Promise<T>;
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});
let observer: BackendCallObserver | null = null;

/** Sets the process's backend-call observer (a service does this once at start); null removes it. */
export function observeBackendCalls(next: BackendCallObserver | null): void {
  observer = next;
}

/** Runs one call through the observer, if any. */
export function observedCall<T>(call: BackendCall, send: (headers: Readonly<Record<string, string>>) => Promise<T>): Promise<T> {
  return observer ? observer.around(call, send) : send(NO_HEADERS);
}
