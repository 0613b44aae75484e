import { AK3_CODES, AK5_CODES, AK9_CODES, TA1_CODES, type EdiIssue } from './issues';
import type { X12Separators } from './separators';
import { tokenizeX12, type X12Segment } from './tokenizer';

/** The ISA as read (ids trimmed of their padding; the control number exactly as sent). */
export interface IsaHeader {
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  /** ISA09 YYMMDD and ISA10 HHMM. */
  date: string;
  time: string;
  /** ISA12, e.g. 00401. */
  version: string;
  /** ISA13, nine digits, leading zeros kept. */
  controlNumber: string;
  /** ISA14: the sender asks for a TA1. */
  acknowledgmentRequested: boolean;
  /** ISA15: P production, T test. */
  usage: string;
}

/** ST … SE: one business document. Segment positions inside count from the ST (= 1), as AK3 does. */
export interface TransactionSet {
  /** ST01, e.g. 850. */
  setId: string;
  /** ST02. */
  controlNumber: string;
  /** ST first, SE last (when present). */
  segments: X12Segment[];
  issues: EdiIssue[];
}

/** GS … GE. */
export interface FunctionalGroup {
  /** GS01, e.g. PO. */
  functionalId: string;
  senderId: string;
  receiverId: string;
  /** GS06. */
  controlNumber: string;
  /** GS08, e.g. 004010 or 004010VICS. */
  version: string;
  sets: TransactionSet[];
  issues: EdiIssue[];
}

/** One interchange, read and checked against the envelope rules. */
export interface Interchange {
  header: IsaHeader;
  separators: X12Separators;
  groups: FunctionalGroup[];
  /** Interchange-level problems (TA1 codes): any of them rejects the whole interchange. */
  issues: EdiIssue[];
  /** The interchange as submitted. */
  raw: string;
}

const TAG_PATTERN = /^[A-Z][A-Z0-9]{1,2}$/;

/**
 * Reads every interchange of a document and validates its envelopes: ISA/IEA control numbers and
 * group count, GS/GE control numbers and set count, ST/SE control numbers and segment count,
 * unique set control numbers per group. Throws X12SyntaxError when no ISA is readable.
 */
export function readInterchanges(text: string): Interchange[] {
  return tokenizeX12(text).map(({ separators, segments, issues, raw }) => {
    const isa = segments[0];
    if (!isa) throw new Error('tokenizer returned an interchange without segments');
    const interchange: Interchange = { header: readIsa(isa), separators, groups: [], issues: [...issues, ...checkIsa(isa)], raw };
    readGroups(interchange, segments);
    return interchange;
  });
}

function readIsa(isa: X12Segment): IsaHeader {
  const e = (n: number) => isa.elements[n] ?? '';
  return {
    senderQualifier: e(5).trim(),
    senderId: e(6).trim(),
    receiverQualifier: e(7).trim(),
    receiverId: e(8).trim(),
    date: e(9),
    time: e(10),
    version: e(12),
    controlNumber: e(13),
    acknowledgmentRequested: e(14) === '1',
    usage: e(15),
  };
}

function checkIsa(isa: X12Segment): EdiIssue[] {
  const issues: EdiIssue[] = [];
  if (isa.elements.length !== 17) {
    issues.push(interchangeIssue(TA1_CODES.invalidContent, `ISA has ${isa.elements.length - 1} elements, must have 16`, isa, null));
  }
  if (!/^\d{9}$/.test(isa.elements[13] ?? '')) {
    issues.push(interchangeIssue(TA1_CODES.invalidControlNumber, `ISA13 "${isa.elements[13] ?? ''}" must be 9 digits`, isa, 13));
  }
  if ((isa.elements[6] ?? '').trim() === '') issues.push(interchangeIssue(TA1_CODES.invalidContent, 'ISA06 (sender id) is empty', isa, 6));
  return issues;
}

/** Walks the segments after the ISA: groups, their sets, and the IEA. */
function readGroups(interchange: Interchange, segments: readonly X12Segment[]): void {
  let group: FunctionalGroup | null = null;
  let set: TransactionSet | null = null;
  for (const segment of segments.slice(1)) {
    if (set && segment.tag !== 'SE' && !isEnvelopeTag(segment.tag)) {
      addToSet(set, segment);
      continue;
    }
    if (set && segment.tag !== 'SE') {
      closeSet(set, null);
      set = null;
    }
    switch (segment.tag) {
      case 'GS':
        if (group) closeGroup(group, null);
        group = openGroup(segment);
        interchange.groups.push(group);
        break;
      case 'GE':
        if (group) closeGroup(group, segment);
        else interchange.issues.push(interchangeIssue(TA1_CODES.invalidContent, 'GE without a GS', segment, null));
        group = null;
        break;
      case 'ST':
        if (!group) {
          interchange.issues.push(interchangeIssue(TA1_CODES.invalidContent, 'ST outside a functional group (no GS before it)', segment, null));
          break;
        }
        set = openSet(group, segment);
        break;
      case 'SE':
        if (set) closeSet(set, segment);
        else interchange.issues.push(interchangeIssue(TA1_CODES.invalidContent, 'SE without an ST', segment, null));
        set = null;
        break;
      case 'IEA':
        if (group) closeGroup(group, null);
        group = null;
        closeInterchange(interchange, segment);
        break;
      case 'TA1':
        break;
      default:
        interchange.issues.push(interchangeIssue(TA1_CODES.invalidContent, `segment ${segment.tag} outside a transaction set`, segment, null));
    }
  }
  if (set) closeSet(set, null);
  if (group) closeGroup(group, null);
}

function isEnvelopeTag(tag: string): boolean {
  return tag === 'ST' || tag === 'GS' || tag === 'GE' || tag === 'IEA' || tag === 'ISA';
}

function openGroup(gs: X12Segment): FunctionalGroup {
  const e = (n: number) => gs.elements[n] ?? '';
  const group: FunctionalGroup = { functionalId: e(1), senderId: e(2), receiverId: e(3), controlNumber: e(6), version: e(8), sets: [], issues: [] };
  if (gs.elements.length !== 9) group.issues.push(groupIssue(AK9_CODES.notSupported, `GS has ${gs.elements.length - 1} elements, must have 8`, gs, null));
  if (!/^\d{1,9}$/.test(e(6))) group.issues.push(groupIssue(AK9_CODES.controlNumberMismatch, `GS06 "${e(6)}" must be 1 to 9 digits`, gs, 6));
  return group;
}

function closeGroup(group: FunctionalGroup, ge: X12Segment | null): void {
  if (!ge) {
    group.issues.push({ level: 'group', code: AK9_CODES.trailerMissing, message: `functional group ${group.controlNumber} has no GE trailer`, location: { segmentTag: 'GE' } });
    return;
  }
  const declared = ge.elements[1] ?? '';
  if (String(group.sets.length) !== declared.replace(/^0+(?=\d)/, '')) {
    group.issues.push(groupIssue(AK9_CODES.countMismatch, `GE01 says ${declared} transaction sets, the group has ${group.sets.length}`, ge, 1, declared));
  }
  if ((ge.elements[2] ?? '') !== group.controlNumber) {
    group.issues.push(groupIssue(AK9_CODES.controlNumberMismatch, `GE02 "${ge.elements[2] ?? ''}" does not match GS06 "${group.controlNumber}"`, ge, 2, ge.elements[2] ?? ''));
  }
}

function openSet(group: FunctionalGroup, st: X12Segment): TransactionSet {
  const set: TransactionSet = { setId: st.elements[1] ?? '', controlNumber: st.elements[2] ?? '', segments: [], issues: [] };
  addToSet(set, st);
  if (!/^\d{3}$/.test(set.setId)) set.issues.push(setIssue(AK5_CODES.missingIdentifier, `ST01 "${set.setId}" is not a transaction set identifier`, set, 1));
  if (!/^[0-9A-Za-z]{4,9}$/.test(set.controlNumber)) {
    set.issues.push(setIssue(AK5_CODES.missingControlNumber, `ST02 "${set.controlNumber}" must be 4 to 9 characters`, set, 2));
  } else if (group.sets.some((other) => other.controlNumber === set.controlNumber)) {
    set.issues.push(setIssue(AK5_CODES.duplicateControlNumber, `ST02 ${set.controlNumber} is used twice in functional group ${group.controlNumber}`, set, 2));
  }
  group.sets.push(set);
  return set;
}

function addToSet(set: TransactionSet, segment: X12Segment): void {
  const local: X12Segment = { ...segment, position: set.segments.length + 1 };
  set.segments.push(local);
  if (!TAG_PATTERN.test(segment.tag)) {
    set.issues.push({
      level: 'transaction',
      code: AK5_CODES.segmentsInError,
      segmentCode: AK3_CODES.unrecognized,
      message: `"${segment.tag.slice(0, 10)}" is not a segment identifier`,
      location: { segmentPosition: local.position, segmentTag: segment.tag.slice(0, 3), offset: segment.offset },
    });
  }
}

function closeSet(set: TransactionSet, se: X12Segment | null): void {
  if (!se) {
    set.issues.push({ level: 'transaction', code: AK5_CODES.trailerMissing, message: `transaction set ${set.controlNumber} has no SE trailer`, location: { segmentTag: 'SE' } });
    return;
  }
  addToSet(set, se);
  const declared = se.elements[1] ?? '';
  if (String(set.segments.length) !== declared.replace(/^0+(?=\d)/, '')) {
    set.issues.push(setIssue(AK5_CODES.segmentCountMismatch, `SE01 says ${declared} segments, the set has ${set.segments.length}`, set, 1, declared));
  }
  if ((se.elements[2] ?? '') !== set.controlNumber) {
    set.issues.push(setIssue(AK5_CODES.controlNumberMismatch, `SE02 "${se.elements[2] ?? ''}" does not match ST02 "${set.controlNumber}"`, set, 2, se.elements[2] ?? ''));
  }
}

function closeInterchange(interchange: Interchange, iea: X12Segment): void {
  const declared = iea.elements[1] ?? '';
  if (String(interchange.groups.length) !== declared.replace(/^0+(?=\d)/, '')) {
    interchange.issues.push(interchangeIssue(TA1_CODES.invalidGroupCount, `IEA01 says ${declared} functional groups, the interchange has ${interchange.groups.length}`, iea, 1));
  }
  if ((iea.elements[2] ?? '') !== interchange.header.controlNumber) {
    interchange.issues.push(
      interchangeIssue(TA1_CODES.controlNumberMismatch, `IEA02 "${iea.elements[2] ?? ''}" does not match ISA13 "${interchange.header.controlNumber}"`, iea, 2),
    );
  }
}

function interchangeIssue(code: string, message: string, segment: X12Segment, element: number | null): EdiIssue {
  return { level: 'interchange', code, message, location: { segmentPosition: segment.position, segmentTag: segment.tag, elementPosition: element, offset: segment.offset } };
}

function groupIssue(code: string, message: string, segment: X12Segment, element: number | null, badValue: string | null = null): EdiIssue {
  return { level: 'group', code, message, badValue, location: { segmentPosition: segment.position, segmentTag: segment.tag, elementPosition: element, offset: segment.offset } };
}

/** An issue about an element of the set's ST or SE (its last segment so far). */
function setIssue(code: string, message: string, set: TransactionSet, element: number, badValue: string | null = null): EdiIssue {
  const segment = set.segments[set.segments.length - 1];
  return {
    level: 'transaction',
    code,
    // Envelope counts and control numbers are AK5 reasons of their own; no AK3/AK4 for them.
    segmentCode: null,
    elementCode: null,
    badValue,
    message,
    location: { segmentPosition: segment?.position ?? null, segmentTag: segment?.tag ?? null, elementPosition: element, offset: segment?.offset ?? null },
  };
}

/** Whether nothing is wrong with the interchange's envelope (its sets may still have issues). */
export function interchangeAccepted(interchange: Interchange): boolean {
  return interchange.issues.length === 0;
}

/** A set counts as accepted when neither it, its group nor its interchange has an issue. */
export function setAccepted(interchange: Interchange, group: FunctionalGroup, set: TransactionSet): boolean {
  return interchange.issues.length === 0 && group.issues.length === 0 && set.issues.length === 0;
}
