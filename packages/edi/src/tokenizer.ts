import { TA1_CODES, X12SyntaxError, type EdiIssue } from './issues';
import { detectSeparators, printable, type X12Separators } from './separators';

/** One segment as sent: `elements[0]` is the tag, `elements[n]` the n-th element (BEG03 = elements[3]). */
export interface X12Segment {
  tag: string;
  elements: readonly string[];
  /** 1-based ordinal in its interchange (ISA = 1). */
  position: number;
  /** Character offset of the segment in the submitted text. */
  offset: number;
}

/** One interchange's segments, split with the separators its own ISA declares. */
export interface TokenizedInterchange {
  separators: X12Separators;
  segments: X12Segment[];
  /** Interchange-level problems found while splitting (unterminated data, missing IEA). */
  issues: EdiIssue[];
  /** The interchange's text as submitted, from its ISA to its IEA's terminator. */
  raw: string;
}

const LINE_BREAKS = new Set(['\r', '\n']);

/**
 * Splits a document into interchanges and their segments. Every interchange's delimiters come from
 * its own ISA (element, component, repetition, segment terminator; `~` or a newline), and line
 * breaks between `~`-terminated segments are ignored. Throws X12SyntaxError only when no ISA can
 * be read at all; everything else (a truncated interchange, a missing IEA) is reported as an
 * issue, so the partner still gets a 997 that says what went wrong.
 */
export function tokenizeX12(text: string): TokenizedInterchange[] {
  const interchanges: TokenizedInterchange[] = [];
  let cursor = skipBlank(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  if (cursor >= text.length) throw new X12SyntaxError('the document is empty', { offset: 0 });
  while (cursor < text.length) {
    const interchange = readInterchange(text, cursor);
    interchanges.push(interchange.value);
    cursor = skipBlank(text, interchange.end);
  }
  return interchanges;
}

/** Reads one interchange from its ISA at `start`; returns it and where the next one may begin. */
function readInterchange(text: string, start: number): { value: TokenizedInterchange; end: number } {
  const { separators } = detectSeparators(text, start);
  const segments: X12Segment[] = [];
  const issues: EdiIssue[] = [];
  let cursor = start;
  while (cursor < text.length) {
    const found = nextSegment(text, cursor, separators);
    if (found === null) break;
    if (found.unterminated) {
      issues.push({
        level: 'interchange',
        code: TA1_CODES.improperEndOfFile,
        message: `the document ends inside a segment ("${printable(found.raw.slice(0, 20))}…" has no "${printable(separators.segment)}" terminator): the interchange is truncated`,
        location: { segmentPosition: segments.length + 1, offset: found.offset },
      });
      cursor = text.length;
      break;
    }
    const elements = found.raw.split(separators.element);
    const tag = elements[0] ?? '';
    if (tag === 'ISA' && segments.length > 0) break; // the next interchange starts; this one lacked its IEA
    segments.push({ tag, elements, position: segments.length + 1, offset: found.offset });
    cursor = skipBetweenSegments(text, found.next, separators);
    if (tag === 'IEA') return { value: { separators, segments, issues, raw: text.slice(start, found.next) }, end: cursor };
  }
  issues.push({
    level: 'interchange',
    code: TA1_CODES.improperEndOfFile,
    message: 'the interchange has no IEA trailer: it is truncated',
    location: { segmentPosition: segments.length + 1, segmentTag: 'IEA', offset: cursor },
  });
  return { value: { separators, segments, issues, raw: text.slice(start, cursor) }, end: cursor };
}

interface FoundSegment {
  raw: string;
  offset: number;
  /** Where reading continues after the terminator. */
  next: number;
  /** Data ran to the end of the text without a terminator. */
  unterminated: boolean;
}

function nextSegment(text: string, start: number, separators: X12Separators): FoundSegment | null {
  if (start >= text.length) return null;
  const end = text.indexOf(separators.segment, start);
  if (end === -1) {
    const rest = text.slice(start).replace(/[\r\n]+$/, '');
    if (rest.length === 0) return null;
    // A newline-terminated file commonly lacks the newline after its last segment.
    return { raw: rest, offset: start, next: text.length, unterminated: separators.segment !== '\n' };
  }
  const raw = separators.segment === '\n' && text.charAt(end - 1) === '\r' ? text.slice(start, end - 1) : text.slice(start, end);
  return { raw, offset: start, next: end + 1, unterminated: false };
}

/** Line breaks after a `~` are layout, not data; with newline terminators, blank lines are too. */
function skipBetweenSegments(text: string, index: number, separators: X12Separators): number {
  let cursor = index;
  while (cursor < text.length && LINE_BREAKS.has(text.charAt(cursor)) && text.charAt(cursor) !== separators.element) cursor += 1;
  return cursor;
}

function skipBlank(text: string, index: number): number {
  let cursor = index;
  while (cursor < text.length && /\s/.test(text.charAt(cursor))) cursor += 1;
  return cursor;
}

/** The components of a composite element, split on the interchange's component separator. */
export function componentsOf(value: string, separators: X12Separators): string[] {
  return value.split(separators.component);
}
