import { readInterchanges, type TransactionSet } from './envelope';
import { AK3_CODES, AK5_CODES, issueText, type EdiIssue } from './issues';
import { writeInterchange, type OutboundInterchange } from './writer';

/** The segments each outbound set must carry, first one leading the body. */
const REQUIRED_SEGMENTS: Record<string, readonly string[]> = {
  '997': ['AK1', 'AK9'],
  '855': ['BAK', 'CTT'],
  '856': ['BSN', 'HL', 'CTT'],
  '810': ['BIG', 'TDS', 'CTT'],
};

/**
 * Checks a document against the same rules inbound documents meet: the envelope (control numbers,
 * counts) and, per set, the segments its type requires. Returns every issue; none means valid.
 */
export function checkDocument(text: string): EdiIssue[] {
  return readInterchanges(text).flatMap((interchange) => [
    ...interchange.issues,
    ...interchange.groups.flatMap((group) => [...group.issues, ...group.sets.flatMap((set) => [...set.issues, ...requiredSegments(set)])]),
  ]);
}

function requiredSegments(set: TransactionSet): EdiIssue[] {
  const required = REQUIRED_SEGMENTS[set.setId] ?? [];
  return required
    .filter((tag) => !set.segments.some((segment) => segment.tag === tag))
    .map((tag) => ({
      level: 'transaction' as const,
      code: AK5_CODES.segmentsInError,
      segmentCode: AK3_CODES.mandatoryMissing,
      message: `the ${set.setId} has no ${tag} segment`,
      location: { segmentTag: tag },
    }));
}

/** Writes an interchange and refuses to hand it out unless it passes checkDocument. */
export function buildDocument(interchange: OutboundInterchange): string {
  const text = writeInterchange(interchange);
  const issues = checkDocument(text);
  if (issues.length > 0) throw new Error(`generated ${interchange.sets.map((s) => s.setId).join('/')} is invalid: ${issues.map(issueText).join('; ')}`);
  return text;
}
