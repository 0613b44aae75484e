/** UTC ISO-8601 with milliseconds and a `Z`, the only time format the hub emits. */
export function toIsoUtc(value: Date | string | number): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a valid time: ${String(value)}`);
  return date.toISOString();
}
