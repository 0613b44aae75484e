import { join } from 'node:path';
import { loadChannelConfig, PartnerDirectory } from '@crossdock/channels';
import { buildDocument, functionalAcknowledgment, readInterchanges, readPurchaseOrder } from '@crossdock/edi';
import { repoRoot } from '@crossdock/testkit';
import { vicsInterchange } from './edi-documents';

/** What one in-process row measured. */
export interface InProcessRate {
  perSecond: number;
  p50Us: number;
  p99Us: number;
  count: number;
}

/** Distinct interchanges cycled through, so nothing is measured on one cached string. */
const VARIANTS = 1_000;

/**
 * Interchanges per second through the EDI layer alone, in this process, one after another:
 * `validate` reads and checks the envelopes; `map` also reads the 850, resolves every line
 * through the partner's cross-reference and writes and re-checks the 997, which is what
 * happens to an interchange before order capture sees it.
 */
export function measureParseMap(stage: 'validate' | 'map', durationSeconds: number, warmupSeconds: number): InProcessRate {
  const partners = new PartnerDirectory(loadChannelConfig(join(repoRoot(), 'config'), {}).partners);
  const texts = Array.from({ length: VARIANTS }, (_, i) => vicsInterchange(i, { oneUnit: false }));
  const once = (text: string) => {
    const [interchange] = readInterchanges(text);
    if (!interchange || interchange.issues.length > 0) throw new Error('the VICS sample must read cleanly');
    if (stage === 'validate') return;
    const catalog = partners.sender(interchange.header);
    const set = interchange.groups[0]?.sets[0];
    if (!catalog || !set) throw new Error('the VICS sample must map to acme-retail');
    const { order, issues } = readPurchaseOrder(set);
    if (!order || order.lines.some((line) => !catalog.resolve(line).ok)) throw new Error('every VICS line must resolve');
    const ack = functionalAcknowledgment(interchange, new Map([[set, issues]]));
    buildDocument({ sender: catalog.partner.receiver, receiver: catalog.partner.isa, controlNumber: 1, groupControlNumber: 1, functionalId: 'FA', at: new Date(), sets: ack.sets });
  };
  run(texts, once, warmupSeconds);
  return run(texts, once, durationSeconds);
}

function run(texts: readonly string[], once: (text: string) => void, seconds: number): InProcessRate {
  const samples: number[] = [];
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  let i = 0;
  for (let now = started; now < deadline; now = process.hrtime.bigint()) {
    once(texts[i % texts.length] as string);
    const done = process.hrtime.bigint();
    samples.push(Number(done - now) / 1_000);
    i += 1;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return { perSecond: i / elapsed, p50Us: at(0.5), p99Us: at(0.99), count: i };
}
