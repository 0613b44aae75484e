/**
 * Where a problem sits in a document: positions are 1-based like every X12 acknowledgement.
 * `segmentPosition` counts from the ISA for envelope problems and from the ST (= 1) for problems
 * inside a transaction set (what AK3 reports); `elementPosition` is the element's number in its
 * segment (BEG03 → 3), `componentPosition` the component's in a composite.
 */
export interface EdiLocation {
  segmentPosition?: number | null;
  segmentTag?: string | null;
  elementPosition?: number | null;
  componentPosition?: number | null;
  /** Character offset in the submitted text, when known. */
  offset?: number | null;
}

/** The level an issue rejects: the whole interchange (TA1), a functional group (AK9), a transaction set (AK5/AK3/AK4). */
export type EdiIssueLevel = 'interchange' | 'group' | 'transaction';

/**
 * One problem found in a document, with the X12 code that explains it to the partner:
 * TA1 note codes (interchange), AK9 codes (group), AK5 codes (transaction set), and for a segment
 * the AK3 code plus, for an element, the AK4 code.
 */
export interface EdiIssue {
  level: EdiIssueLevel;
  /** TA1105 / AK905 / AK502 code for the level. */
  code: string;
  /** AK304 code when the issue is about one segment of a transaction set. */
  segmentCode?: string | null;
  /** AK403 code when it is about one element. */
  elementCode?: string | null;
  /** The offending element's value (AK404), when it had one. */
  badValue?: string | null;
  message: string;
  location: EdiLocation;
}

/** The document could not even be split into segments (no readable ISA, unterminated data). */
export class X12SyntaxError extends Error {
  override name = 'X12SyntaxError';

  constructor(
    message: string,
    readonly location: EdiLocation,
  ) {
    super(`${message}${describeLocation(location)}`);
  }
}

/** `" (segment 7 PO1, element PO102)"`: where a problem is, for messages people read. */
export function describeLocation(location: EdiLocation): string {
  const parts: string[] = [];
  if (location.segmentPosition) parts.push(`segment ${location.segmentPosition}${location.segmentTag ? ` ${location.segmentTag}` : ''}`);
  else if (location.segmentTag) parts.push(`segment ${location.segmentTag}`);
  if (location.elementPosition) {
    const element = `${location.segmentTag ?? ''}${String(location.elementPosition).padStart(2, '0')}`;
    parts.push(`element ${element}${location.componentPosition ? `-${location.componentPosition}` : ''}`);
  }
  if (parts.length === 0 && location.offset !== null && location.offset !== undefined) parts.push(`character ${location.offset}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/** TA1105 interchange note codes used here. */
export const TA1_CODES = {
  controlNumberMismatch: '001',
  invalidGroupCount: '021',
  invalidControlCharacters: '022',
  improperEndOfFile: '023',
  invalidContent: '024',
  invalidControlNumber: '018',
} as const;

/** AK905 functional group error codes used here. */
export const AK9_CODES = {
  notSupported: '1',
  versionNotSupported: '2',
  trailerMissing: '3',
  controlNumberMismatch: '4',
  countMismatch: '5',
} as const;

/** AK502 transaction set error codes used here. */
export const AK5_CODES = {
  notSupported: '1',
  trailerMissing: '2',
  controlNumberMismatch: '3',
  segmentCountMismatch: '4',
  segmentsInError: '5',
  missingIdentifier: '6',
  missingControlNumber: '7',
  duplicateControlNumber: '23',
} as const;

/** AK304 segment syntax error codes used here. */
export const AK3_CODES = {
  unrecognized: '1',
  unexpected: '2',
  mandatoryMissing: '3',
  elementErrors: '8',
} as const;

/** AK403 element syntax error codes used here. */
export const AK4_CODES = {
  mandatoryMissing: '1',
  tooLong: '5',
  invalidCharacter: '6',
  invalidCode: '7',
  invalidDate: '8',
} as const;

/** An issue's message with its location, e.g. `SE01 says 12 segments, counted 11 (segment 12 SE, element SE01)`. */
export function issueText(issue: EdiIssue): string {
  return `${issue.message}${describeLocation(issue.location)}`;
}
