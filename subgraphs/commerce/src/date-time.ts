import { toIsoUtc } from '@crossdock/model';
import { badUserInput } from './user-input';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Reads a DateTime argument: ISO-8601 with a date, a time and an offset, normalised to UTC.
 * Stricter than Date.parse on purpose: it would roll "2026-02-30" over into March and read a
 * time without an offset in the server's zone, and a filter must not silently mean another day.
 */
export function parseDateTimeArgument(argument: string, value: string): string {
  const match = DATE_TIME.exec(value);
  const [, year, month, day, hour, minute, second = '0', , offsetHours = '0', offsetMinutes = '0'] = match ?? [];
  const valid =
    match !== null &&
    isCalendarDate(Number(year), Number(month), Number(day)) &&
    Number(hour) < 24 &&
    Number(minute) < 60 &&
    Number(second) < 60 &&
    Number(offsetHours) < 24 &&
    Number(offsetMinutes) < 60;
  if (!valid) {
    throw badUserInput(
      `${argument} must be an ISO-8601 date-time with an offset, e.g. "2026-11-26T10:04:05Z"; got "${value}"`,
      argument,
    );
  }
  return toIsoUtc(value);
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
