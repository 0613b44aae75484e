/**
 * Thrown by `reserve` when an order names SKUs the ledger has never loaded from the WMS. The
 * order pipeline refreshes stock first (StockReservations), so seeing this means the WMS could
 * not be asked, not that the SKU has no stock.
 */
export class StockNotLoadedError extends Error {
  override name = 'StockNotLoadedError';
  readonly skus: string[];

  constructor(skus: readonly string[], options?: { cause?: unknown }) {
    super(`stock not loaded for SKU(s): ${skus.join(', ')}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.skus = [...skus];
  }
}

/** A caller passed a malformed request (our bug or unvalidated input); nothing was changed. */
export class InvalidReservationInputError extends Error {
  override name = 'InvalidReservationInputError';
}
