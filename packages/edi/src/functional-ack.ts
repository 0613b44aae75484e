import type { FunctionalGroup, Interchange, TransactionSet } from './envelope';
import type { EdiIssue } from './issues';
import type { OutboundSet, SegmentValues } from './writer';

/** AK901 / AK501: accepted, accepted with errors noted, partially accepted, rejected. */
export type AckCode = 'A' | 'E' | 'P' | 'R';

/** The 997 for an interchange: a TA1 when the envelope itself is bad or one was asked for, and one 997 set per group. */
export interface FunctionalAcknowledgment {
  preamble: SegmentValues[];
  sets: OutboundSet[];
  /** The worst of the groups' AK901 codes (R when the interchange itself is rejected). */
  status: AckCode;
}

/** Issues found beyond the envelope (by reading the 850s), by set. */
export type SetIssues = ReadonlyMap<TransactionSet, readonly EdiIssue[]>;

/**
 * Builds the 997 for every group of an interchange: AK1 per group; per set an AK2, an AK3 for
 * each segment in error with an AK4 per element, and AK5 (accepted or rejected, with up to five
 * reasons); AK9 with the counts and reasons for the group. A bad envelope (TA1 codes) rejects
 * every group, and the TA1 says why.
 */
export function functionalAcknowledgment(interchange: Interchange, extra: SetIssues = new Map()): FunctionalAcknowledgment {
  const rejectedEnvelope = interchange.issues.length > 0;
  const preamble: SegmentValues[] = [];
  if (rejectedEnvelope || interchange.header.acknowledgmentRequested) {
    const first = interchange.issues[0];
    preamble.push(['TA1', interchange.header.controlNumber, interchange.header.date, interchange.header.time, rejectedEnvelope ? 'R' : 'A', first?.code ?? '000']);
  }
  const groups = interchange.groups.map((group) => groupAcknowledgment(group, rejectedEnvelope, extra));
  const status: AckCode = rejectedEnvelope ? 'R' : worst(groups.map((g) => g.status));
  return { preamble, sets: groups.map((g) => g.set), status };
}

function groupAcknowledgment(group: FunctionalGroup, rejectedEnvelope: boolean, extra: SetIssues): { set: OutboundSet; status: AckCode } {
  const body: SegmentValues[] = [['AK1', group.functionalId, group.controlNumber]];
  const setCodes: AckCode[] = [];
  if (!rejectedEnvelope) {
    for (const set of group.sets) {
      const issues = [...set.issues, ...(extra.get(set) ?? [])];
      const code: AckCode = issues.length === 0 && group.issues.length === 0 ? 'A' : 'R';
      setCodes.push(code);
      body.push(['AK2', set.setId, set.controlNumber], ...segmentErrors(issues), ['AK5', code, ...distinct(issues.map((i) => i.code)).slice(0, 5)]);
    }
  }
  const accepted = setCodes.filter((code) => code === 'A').length;
  const status: AckCode = rejectedEnvelope || group.issues.length > 0 || accepted === 0 ? 'R' : accepted < group.sets.length ? 'P' : 'A';
  const declared = declaredSetCount(group);
  body.push(['AK9', status, declared, String(group.sets.length), String(rejectedEnvelope ? 0 : accepted), ...distinct(group.issues.map((i) => i.code)).slice(0, 5)]);
  return { set: { setId: '997', body }, status };
}

/** AK3 for each segment in error (in position order), each followed by its elements' AK4s. */
function segmentErrors(issues: readonly EdiIssue[]): SegmentValues[] {
  const bySegment = new Map<number, EdiIssue[]>();
  for (const issue of issues) {
    const position = issue.location.segmentPosition;
    if (!issue.segmentCode || !position) continue;
    bySegment.set(position, [...(bySegment.get(position) ?? []), issue]);
  }
  return [...bySegment.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([position, segmentIssues]) => {
      const first = segmentIssues[0];
      const ak3: SegmentValues = ['AK3', first?.location.segmentTag ?? '', String(position), '', first?.segmentCode ?? ''];
      const ak4s = segmentIssues
        .filter((issue) => issue.elementCode && issue.location.elementPosition)
        .map((issue): SegmentValues => ['AK4', String(issue.location.elementPosition), '', issue.elementCode ?? '', ak4Value(issue.badValue)]);
      return [ak3, ...ak4s];
    });
}

/** AK404 echoes the bad value; it must stay a simple element (no delimiters), at most 99 characters. */
function ak4Value(value: string | null | undefined): string {
  return (value ?? '').replace(/[^A-Za-z0-9 .\-/]/g, ' ').trim().slice(0, 99);
}

function declaredSetCount(group: FunctionalGroup): string {
  return String(group.sets.length);
}

function worst(codes: readonly AckCode[]): AckCode {
  if (codes.length === 0) return 'R';
  if (codes.every((code) => code === 'A')) return 'A';
  if (codes.every((code) => code === 'R')) return 'R';
  return 'P';
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}
