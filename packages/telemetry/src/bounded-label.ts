/** What a label holds once its budget of distinct values is spent. */
export const OTHER_LABEL_VALUE = 'other';

/** Longest label value kept; series names need not carry a whole essay. */
const MAX_VALUE_LENGTH = 80;

/**
 * A label whose distinct values are capped: the first `limit` values seen are kept as they are,
 * every later one becomes "other". Operation names and channels come from clients, so without
 * a cap a client could blow up the number of series Prometheus has to keep.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly limit: number) {}

  /** The value to put on the series; null and empty values become `fallback`. */
  value(raw: string | null | undefined, fallback = 'none'): string {
    if (raw === null || raw === undefined || raw === '') return fallback;
    const value = raw.length > MAX_VALUE_LENGTH ? raw.slice(0, MAX_VALUE_LENGTH) : raw;
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.limit) return OTHER_LABEL_VALUE;
    this.seen.add(value);
    return value;
  }
}
