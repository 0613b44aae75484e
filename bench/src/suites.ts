import type { LoadResult, ProcessUsage } from './load';
import { availabilitySuite } from './availability/suite';
import { ediSuite } from './edi/suite';
import { federationSuite } from './federation/suite';
import { governanceSuite } from './governance/suite';
import { placeOrderSuite } from './place-order/suite';
import { resilienceSuite } from './resilience/suite';
import { subscriptionsSuite } from './subscriptions/suite';
import { unifiedOrderViewLatencySuite, unifiedOrderViewSuite } from './unified-order-view/suite';

/** Knobs every suite honours, taken from the command line. */
export interface SuiteOptions {
  /** Measured seconds per subject. */
  durationSeconds: number;
  /** Unmeasured seconds of the same load before each measurement (JIT, caches, pools). */
  warmupSeconds: number;
  /** Concurrent load generator connections. */
  connections: number;
}

/** How one subject (a gateway, a configuration) fared. */
export type Outcome =
  | {
      kind: 'measured';
      load: LoadResult;
      /** The subject's own process during the measured window. */
      usage: ProcessUsage;
      /** Other processes worth showing (e.g. the subgraphs, to prove they were not the bottleneck). */
      helpers?: Record<string, ProcessUsage>;
    }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; reason: string };

/** One row of a suite's table. */
export interface Measurement {
  subject: string;
  outcome: Outcome;
}

/** Everything a suite reports; report.ts turns it into markdown. */
export interface SuiteResult {
  suite: string;
  title: string;
  /** One paragraph: what is measured and against what. */
  description: string;
  /** The subject whose req/s is divided by every other measured subject's, e.g. "crossdock". */
  ratioOf?: string;
  /** Column headings where the defaults ("Gateway", "req/s", "bad bodies") do not fit the rows. */
  headings?: { subject?: string; rate?: string; badBodies?: string };
  /** What load each row got, in place of the default "autocannon, … per gateway" line. */
  loadDescription?: string;
  /**
   * A table of the suite's own, for measurements the request/response columns do not fit
   * (e.g. events delivered over WebSockets); rows still carry their outcome for pass/fail.
   */
  table?: { headers: string[]; rows: string[][] };
  measurements: Measurement[];
  notes: string[];
}

/** A benchmark suite: `npm run bench -- --suite <name>`. */
export interface Suite {
  name: string;
  run(options: SuiteOptions): Promise<SuiteResult>;
}

/** Every registered suite, in the order `npm run bench` runs them. Add yours here. */
export const suites: readonly Suite[] = [federationSuite, unifiedOrderViewSuite, unifiedOrderViewLatencySuite, placeOrderSuite, resilienceSuite, subscriptionsSuite, ediSuite, governanceSuite, availabilitySuite];
