import { afterEach, beforeEach, describe } from '@jest/globals';
import type { ExceptionStore } from '../../src';
import type { OpenedExceptionStore, OpenExceptionStore } from '../fixtures';
import { recordAndListCases } from './record-list-cases';
import { transitionCases } from './transition-cases';

/** What each case reaches: the store under test, more replicas on the same data, cleanup. */
export interface StoreUnderTest {
  /** The store opened for the running test. */
  readonly store: ExceptionStore;
  replica(): Promise<ExceptionStore>;
  /** Closes a replica the case opened after the test. */
  closeAfter(store: ExceptionStore): void;
}

/**
 * The behaviour every ExceptionStore adapter must share, run against each of them, so the
 * all-in-one substitute can never drift from MongoDB.
 */
export function describeExceptionStoreContract(name: string, open: OpenExceptionStore): void {
  describe(`${name} (ExceptionStore contract)`, () => {
    const extra: ExceptionStore[] = [];
    let opened: OpenedExceptionStore | null = null;
    const current = (): OpenedExceptionStore => {
      if (!opened) throw new Error('no store is open (use inside a test)');
      return opened;
    };
    const subject: StoreUnderTest = {
      get store() {
        return current().store;
      },
      replica: () => current().replica(),
      closeAfter: (store) => {
        extra.push(store);
      },
    };
    beforeEach(async () => {
      opened = await open();
    });
    afterEach(async () => {
      await Promise.all([current().store, ...extra.splice(0)].map((store) => store.close()));
      opened = null;
    });
    recordAndListCases(subject);
    transitionCases(subject);
  });
}
