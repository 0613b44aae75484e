import { describe, expect, it } from '@jest/globals';
import { STUPIDEDI_850, VICS_850, VICS_850_NEWLINES, X12_PASS_SAMPLES, x12Fixture } from '@crossdock/testkit';
import { issueText, readInterchanges, X12SyntaxError, type EdiIssue, type Interchange } from '../src';

function allIssues(interchange: Interchange): EdiIssue[] {
  return [...interchange.issues, ...interchange.groups.flatMap((g) => [...g.issues, ...g.sets.flatMap((s) => s.issues)])];
}

function only(text: string): Interchange {
  const interchanges = readInterchanges(text);
  expect(interchanges).toHaveLength(1);
  const [interchange] = interchanges;
  if (!interchange) throw new Error('no interchange');
  return interchange;
}

describe('envelope reading on the shared samples', () => {
  it.each(X12_PASS_SAMPLES)('%s reads with no issue', (name) => {
    const interchange = only(x12Fixture(name));
    expect(allIssues(interchange).map(issueText)).toEqual([]);
    expect(interchange.groups).toHaveLength(1);
    expect(interchange.groups[0]?.sets).toHaveLength(1);
  });

  it('honours each ISA’s separators: `*`/`~`/`>`, `|`/`~`, newline terminators, `` ` `` components', () => {
    expect(only(x12Fixture(VICS_850)).separators).toEqual({ element: '*', component: '>', repetition: null, segment: '~' });
    expect(only(x12Fixture(VICS_850_NEWLINES)).separators.segment).toBe('\n');
    expect(only(x12Fixture('stupidedi-004010-810-pass-1.edi')).separators.element).toBe('|');
    expect(only(x12Fixture('stupidedi-004010-855-pass-1.edi')).separators.component).toBe('{');
    expect(only(x12Fixture('stupidedi-004010-997-pass-1.x12')).separators).toEqual({ element: '*', component: '`', repetition: null, segment: '\n' });
  });

  it('keeps ISA13 exactly as sent, leading zeros included, and trims the padded ids', () => {
    const { header } = only(x12Fixture(VICS_850));
    expect(header).toMatchObject({ senderQualifier: '12', senderId: '4405197800', receiverId: '999999999', controlNumber: '000003438', version: '00400' });
  });

  it('reads the VICS sample the same with `~` and with newline terminators', () => {
    const tilde = only(x12Fixture(VICS_850)).groups[0]?.sets[0]?.segments.map((s) => s.elements);
    const newline = only(x12Fixture(VICS_850_NEWLINES)).groups[0]?.sets[0]?.segments.map((s) => s.elements);
    expect(newline).toEqual(tilde);
  });

  it('takes the repetition separator from ISA11 from version 00402 on', () => {
    const text = x12Fixture(STUPIDEDI_850).replace('*U*00401*', '*^*00501*');
    expect(only(text).separators.repetition).toBe('^');
  });
});

describe('broken envelopes: every problem with its code and place', () => {
  const vics = x12Fixture(VICS_850);

  it('a wrong SE01 segment count is AK5 4 at the SE, element SE01', () => {
    const issues = allIssues(only(vics.replace(/SE\*(\d+)\*000000010/, 'SE*99*000000010')));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ level: 'transaction', code: '4', location: { segmentTag: 'SE', elementPosition: 1 } });
    expect(issueText(issues[0] as EdiIssue)).toMatch(/SE01 says 99 segments, the set has \d+ \(segment \d+ SE, element SE01\)/);
  });

  it('a GE02 that does not match GS06 is AK9 4; a wrong GE01 is AK9 5', () => {
    expect(allIssues(only(vics.replace('GE*1*1421', 'GE*1*1422')))).toEqual([expect.objectContaining({ level: 'group', code: '4' })]);
    expect(allIssues(only(vics.replace('GE*1*1421', 'GE*2*1421')))).toEqual([expect.objectContaining({ level: 'group', code: '5' })]);
  });

  it('an IEA02 that does not match ISA13 is TA1 001; a wrong IEA01 is TA1 021', () => {
    expect(allIssues(only(vics.replace('IEA*1*000003438', 'IEA*1*000003439')))).toEqual([
      expect.objectContaining({ level: 'interchange', code: '001', location: expect.objectContaining({ segmentTag: 'IEA', elementPosition: 2 }) }),
    ]);
    expect(allIssues(only(vics.replace('IEA*1*000003438', 'IEA*3*000003438')))).toEqual([expect.objectContaining({ level: 'interchange', code: '021' })]);
  });

  it('a truncated interchange reports the missing trailers at every level (TA1 023, AK9 3, AK5 2)', () => {
    const cut = vics.slice(0, vics.indexOf('PO1*4'));
    const interchange = only(cut);
    const codes = allIssues(interchange).map((issue) => `${issue.level}:${issue.code}`);
    expect(codes).toEqual(expect.arrayContaining(['interchange:023', 'group:3', 'transaction:2']));
  });

  it('data cut inside a segment is reported where it stops', () => {
    const cut = vics.slice(0, vics.indexOf('PO1*4') + 9);
    const [issue] = only(cut).issues;
    expect(issue?.code).toBe('023');
    expect(issue?.message).toMatch(/ends inside a segment/);
  });

  it('a duplicate ST02 in one group is AK5 23', () => {
    const st = /ST\*850[\s\S]*?SE\*\d+\*000000010~\r?\n?/.exec(vics)?.[0] ?? '';
    const twice = vics.replace(st, st + st).replace('GE*1*1421', 'GE*2*1421');
    const sets = only(twice).groups[0]?.sets ?? [];
    expect(sets).toHaveLength(2);
    expect(sets[1]?.issues).toEqual([expect.objectContaining({ code: '23' })]);
  });

  it('several interchanges in one document are read one by one, each with its own separators', () => {
    const both = `${x12Fixture(VICS_850)}\n${x12Fixture('stupidedi-004010-810-pass-1.edi')}`;
    const interchanges = readInterchanges(both);
    expect(interchanges.map((i) => i.separators.element)).toEqual(['*', '|']);
    expect(interchanges.flatMap(allIssues)).toEqual([]);
  });

  it('text that is no interchange at all is refused with where it went wrong', () => {
    expect(() => readInterchanges('hello')).toThrow(X12SyntaxError);
    expect(() => readInterchanges('ISA*00*   ')).toThrow(/ISA has 2 of its 16 elements: the interchange is truncated/);
    expect(() => readInterchanges('')).toThrow(/empty/);
  });
});
