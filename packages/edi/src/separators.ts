import { X12SyntaxError } from './issues';

/** The delimiters an interchange declares in its ISA segment. */
export interface X12Separators {
  /** ISA's 4th character, e.g. `*` or `|`. */
  element: string;
  /** ISA16, e.g. `>`, `:` or `{`. */
  component: string;
  /** ISA11 from version 00402 on (e.g. `^`); null before, where ISA11 is the standards id `U`. */
  repetition: string | null;
  /** The character right after ISA16, e.g. `~`, or `\n` for newline-terminated files. */
  segment: string;
}

/** Elements in an ISA segment, not counting the tag. */
export const ISA_ELEMENT_COUNT = 16;

/** What detectSeparators found: the delimiters and where the ISA segment ends (index of its terminator). */
export interface IsaLocation {
  separators: X12Separators;
  /** Index in the text of the ISA's segment terminator. */
  terminatorIndex: number;
}

/**
 * Reads the delimiters from the ISA that starts at `start`. The ISA is found by counting its 16
 * element separators rather than by fixed offsets: real partners pad ISA fields wrongly (one of
 * the public samples has a 12-character ISA06), and the separators are still unambiguous.
 */
export function detectSeparators(text: string, start: number): IsaLocation {
  if (text.slice(start, start + 3) !== 'ISA') {
    throw new X12SyntaxError(`an interchange must start with an ISA segment, found "${printable(text.slice(start, start + 3))}"`, { segmentPosition: 1, offset: start });
  }
  const element = text.charAt(start + 3);
  if (element === '' || isDataCharacter(element)) {
    throw new X12SyntaxError(`ISA element separator "${printable(element)}" must be a delimiter, not a data character`, { segmentPosition: 1, segmentTag: 'ISA', offset: start + 3 });
  }
  let index = start + 3;
  for (let seen = 1; seen < ISA_ELEMENT_COUNT; seen += 1) {
    index = text.indexOf(element, index + 1);
    if (index === -1) {
      throw new X12SyntaxError(`ISA has ${seen} of its ${ISA_ELEMENT_COUNT} elements: the interchange is truncated`, { segmentPosition: 1, segmentTag: 'ISA', elementPosition: seen + 1, offset: text.length });
    }
  }
  const component = text.charAt(index + 1);
  const segment = text.charAt(index + 2);
  if (component === '' || segment === '') {
    throw new X12SyntaxError('ISA ends before its component separator (ISA16) and segment terminator: the interchange is truncated', { segmentPosition: 1, segmentTag: 'ISA', elementPosition: 16, offset: text.length });
  }
  const isa11 = text.slice(start + 4, index).split(element)[10] ?? '';
  const version = text.slice(start + 4, index).split(element)[11] ?? '';
  const repetition = version >= '00402' && isa11.length === 1 && !isDataCharacter(isa11) ? isa11 : null;
  const separators: X12Separators = { element, component, repetition, segment: segment === '\r' && text.charAt(index + 3) === '\n' ? '\n' : segment };
  checkDistinct(separators, start);
  return { separators, terminatorIndex: index + 2 };
}

function checkDistinct(separators: X12Separators, offset: number): void {
  const used = [separators.element, separators.component, separators.segment, ...(separators.repetition ? [separators.repetition] : [])];
  if (new Set(used).size !== used.length) {
    throw new X12SyntaxError(`ISA declares the same character twice as a delimiter (${used.map(printable).join(' ')})`, { segmentPosition: 1, segmentTag: 'ISA', elementPosition: 16, offset });
  }
  if (isDataCharacter(separators.component) || (separators.segment !== '\n' && isDataCharacter(separators.segment))) {
    throw new X12SyntaxError(`ISA16 component separator "${printable(separators.component)}" or segment terminator "${printable(separators.segment)}" is a data character`, {
      segmentPosition: 1,
      segmentTag: 'ISA',
      elementPosition: 16,
      offset,
    });
  }
}

/** Letters, digits and the space can never delimit: they occur in data. */
function isDataCharacter(char: string): boolean {
  return /^[A-Za-z0-9 ]$/.test(char);
}

/** A delimiter as a person can read it in an error message. */
export function printable(text: string): string {
  return text.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}
