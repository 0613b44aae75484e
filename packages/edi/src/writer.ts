import type { X12Separators } from './separators';

/** A segment to write: the tag, then its elements (trailing empty elements are dropped). */
export type SegmentValues = readonly [tag: string, ...elements: (string | null | undefined)[]];

/** One transaction set to write: its id (997, 855, …) and the segments between ST and SE. */
export interface OutboundSet {
  setId: string;
  body: readonly SegmentValues[];
}

/** An interchange party: ISA qualifier and id (padded to 15 on writing). */
export interface X12Party {
  qualifier: string;
  id: string;
}

/** What writeInterchange needs. */
export interface OutboundInterchange {
  sender: X12Party;
  receiver: X12Party;
  /** ISA13 / IEA02, 1 … 999 999 999. */
  controlNumber: number;
  /** GS06 / GE02. */
  groupControlNumber: number;
  /** GS01, e.g. FA for 997, PR for 855, SH for 856, IN for 810. */
  functionalId: string;
  /** GS08, default 004010. */
  version?: string;
  /** ISA15, default P. */
  usage?: 'P' | 'T';
  at: Date;
  sets: readonly OutboundSet[];
  /** Interchange-level segments before the GS (a TA1). */
  preamble?: readonly SegmentValues[];
  /** Default `*`, `>`, `~`. */
  separators?: X12Separators;
}

/** The delimiters Crossdock writes with unless a partner asks for others. */
export const DEFAULT_SEPARATORS: X12Separators = { element: '*', component: '>', repetition: null, segment: '~' };

/**
 * Writes one interchange: ISA with fixed-width fields, one GS, each set wrapped in ST/SE with its
 * segment count, GE with the set count, IEA with the group count. Data that contains a delimiter
 * is refused rather than silently corrupting the document.
 */
export function writeInterchange(interchange: OutboundInterchange): string {
  const separators = interchange.separators ?? DEFAULT_SEPARATORS;
  const control = controlNumber(interchange.controlNumber);
  const stamp = x12Stamp(interchange.at);
  const segments: SegmentValues[] = [
    [
      'ISA',
      '00',
      ' '.repeat(10),
      '00',
      ' '.repeat(10),
      fixed(interchange.sender.qualifier, 2),
      fixed(interchange.sender.id, 15),
      fixed(interchange.receiver.qualifier, 2),
      fixed(interchange.receiver.id, 15),
      stamp.date.slice(2),
      stamp.time,
      'U',
      '00401',
      control,
      '0',
      interchange.usage ?? 'P',
      separators.component,
    ],
    ...(interchange.preamble ?? []),
    ['GS', interchange.functionalId, interchange.sender.id, interchange.receiver.id, stamp.date, stamp.time, String(interchange.groupControlNumber), 'X', interchange.version ?? '004010'],
  ];
  interchange.sets.forEach((set, i) => {
    const setControl = String(i + 1).padStart(4, '0');
    segments.push(['ST', set.setId, setControl], ...set.body, ['SE', String(set.body.length + 2), setControl]);
  });
  segments.push(['GE', String(interchange.sets.length), String(interchange.groupControlNumber)], ['IEA', '1', control]);
  return segments.map((segment) => writeSegment(segment, separators)).join('');
}

/** One segment with its terminator; the ISA keeps its empty-but-padded elements. */
export function writeSegment(segment: SegmentValues, separators: X12Separators): string {
  const [tag, ...elements] = segment;
  const values = elements.map((value, i) => checkValue(value ?? '', tag, i + 1, separators, tag === 'ISA' && i === 15));
  while (tag !== 'ISA' && values.length > 0 && values[values.length - 1] === '') values.pop();
  return `${[tag, ...values].join(separators.element)}${separators.segment}`;
}

function checkValue(value: string, tag: string, element: number, separators: X12Separators, isComponentSeparator: boolean): string {
  if (isComponentSeparator) return value;
  for (const delimiter of [separators.element, separators.segment, separators.component, separators.repetition]) {
    if (delimiter && value.includes(delimiter)) {
      throw new RangeError(`${tag}${String(element).padStart(2, '0')} "${value}" contains the delimiter "${delimiter}"`);
    }
  }
  return value;
}

/** ISA13: nine digits. */
export function controlNumber(value: number): string {
  if (!Number.isSafeInteger(value) || value < 1 || value > 999_999_999) throw new RangeError(`control number must be 1 to 999999999, got ${value}`);
  return String(value).padStart(9, '0');
}

/** Left-aligned, space-padded to `width`, cut when longer (ISA fields are fixed width). */
function fixed(value: string, width: number): string {
  return value.slice(0, width).padEnd(width, ' ');
}

/** CCYYMMDD and HHMM in UTC. */
export function x12Stamp(at: Date): { date: string; time: string } {
  const iso = at.toISOString();
  return { date: iso.slice(0, 10).replace(/-/g, ''), time: iso.slice(11, 16).replace(':', '') };
}

/** Text for a free-form element: delimiters and line breaks become spaces, cut to `max`. */
export function freeText(value: string, max: number, separators: X12Separators = DEFAULT_SEPARATORS): string {
  let text = value.replace(/[\r\n]/g, ' ');
  for (const delimiter of [separators.element, separators.segment, separators.component, separators.repetition]) {
    if (delimiter) text = text.split(delimiter).join(' ');
  }
  return text.trim().slice(0, max);
}
