import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo';

/** The shared X12 samples: `../shared/fixtures/x12` beside the clone, as on CI. Never edited; see its PROVENANCE.md. */
export function x12FixturesDir(): string {
  return join(repoRoot(), '..', 'shared', 'fixtures', 'x12');
}

/** A shared X12 sample's text, byte for byte. */
export function x12Fixture(name: string): string {
  return readFileSync(join(x12FixturesDir(), name), 'utf8');
}

/** The VICS 850 (`~` terminators, line breaks between segments). */
export const VICS_850 = 'node-x12-850-vics.edi';
/** The same VICS 850 with newline terminators. */
export const VICS_850_NEWLINES = 'node-x12-850-vics-newline-terminated.edi';
/** stupidedi's 004010 850 (one line, VN item). */
export const STUPIDEDI_850 = 'stupidedi-004010-850-pass-1.edi';
/** Every sample that is valid X12 (each passes stupidedi's or node-x12's own tests). */
export const X12_PASS_SAMPLES = [
  VICS_850,
  VICS_850_NEWLINES,
  STUPIDEDI_850,
  'stupidedi-004010-855-pass-1.edi',
  'stupidedi-004010-856-pass-1.edi',
  'stupidedi-004010-810-pass-1.edi',
  'stupidedi-004010-997-pass-1.x12',
] as const;
