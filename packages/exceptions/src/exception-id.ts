import { randomBytes } from 'node:crypto';

const PREFIX = 'EXC-';
const ID_PATTERN = /^EXC-[0-9A-Z]{9}[0-9A-F]{16}$/;

/**
 * A new exception id: base-36 milliseconds (fixed width, so ids sort by the time they were first
 * seen) plus 64 random bits, so replicas never collide without coordinating. Listing newest first
 * is then a sort by id, which also makes a stable keyset cursor.
 */
export function newExceptionId(firstSeenAt: Date): string {
  const time = firstSeenAt.getTime().toString(36).toUpperCase().padStart(9, '0');
  return `${PREFIX}${time}${randomBytes(8).toString('hex').toUpperCase()}`;
}

/** Whether `value` has the shape of an exception id (cursors are checked with it). */
export function isExceptionId(value: string): boolean {
  return ID_PATTERN.test(value);
}
