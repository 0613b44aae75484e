/** Positions remembered per subscription at most; the oldest remembered is forgotten first. */
const MAX_POSITIONS = 10_000;

/**
 * One subscriber's view of which movement it last sent per stock position (SKU and warehouse),
 * by the WMS's movement number. The WMS's notices can overtake each other on the way to the hub,
 * and each carries the position as it stood after its movement, so an overtaken notice would
 * leave the subscriber with an older position than one it already has. Such a notice is not sent;
 * the movement is still in the stream for everything else that reads it.
 *
 * Notices without a number (a WMS that sends none) always pass, as before. Memory is bounded: past
 * MAX_POSITIONS the longest-unchanged position is forgotten, and an overtaken notice for it would
 * pass again.
 */
export class NewestMovements {
  private readonly last = new Map<string, number>();

  constructor(private readonly maxPositions = MAX_POSITIONS) {}

  /** True when this movement is newer than the last one sent for its position (which it now is). */
  accept(sku: string, warehouseId: string, sequence: number | null | undefined): boolean {
    if (sequence === null || sequence === undefined) return true;
    const key = `${sku}\u0000${warehouseId}`;
    const last = this.last.get(key);
    if (last !== undefined && sequence <= last) return false;
    // Re-inserted, so the Map's order is least recently moved first.
    this.last.delete(key);
    this.last.set(key, sequence);
    if (this.last.size > this.maxPositions) {
      const oldest = this.last.keys().next();
      if (!oldest.done) this.last.delete(oldest.value);
    }
    return true;
  }
}
