import type { GraphQLError } from 'graphql';

/**
 * Maps a source iterator, skipping values `map` answers null for. Written as a plain iterator
 * rather than an async generator on purpose: return() must reach the source at once, even while
 * a next() waits for an event that may never come (a generator would queue the return behind it,
 * keeping a finished subscription's reader alive until the next event).
 */
export function mapEvents<S, T>(source: AsyncIterator<S>, map: (value: S) => Promise<T | null> | T | null): AsyncIterableIterator<T> {
  let finished = false;
  const finish = async (): Promise<IteratorResult<T>> => {
    if (!finished) {
      finished = true;
      await source.return?.();
    }
    return { value: undefined, done: true };
  };
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      while (!finished) {
        const next = await source.next();
        if (next.done) return finish();
        const mapped = await map(next.value);
        if (mapped !== null) return { value: mapped, done: false };
      }
      return { value: undefined, done: true };
    },
    return: finish,
    async throw(error: unknown) {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** An iterator whose first next() rejects: how graphql-ws is told to send an `error` message for an operation. */
export function failingEvents<T>(error: GraphQLError): AsyncIterableIterator<T> {
  let thrown = false;
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      if (thrown) return { value: undefined, done: true };
      thrown = true;
      throw error;
    },
    async return() {
      thrown = true;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
