import type { IsaHeader, PurchaseOrderLine } from '@crossdock/edi';
import type { TradingPartner } from './channel-config';

/** PO1 qualifiers per cross-reference column. */
const QUALIFIERS: Record<string, 'buyerPart' | 'vendorPart' | 'upc'> = { CB: 'buyerPart', IN: 'buyerPart', VN: 'vendorPart', VP: 'vendorPart', UP: 'upc', UK: 'upc', EN: 'upc', UA: 'upc' };

/** A PO line in our terms, or why it cannot be. */
export type ResolvedLine = { ok: true; sku: string; quantity: number } | { ok: false; reason: string };

/** One partner's cross-reference and unit conversions, indexed for lookups. */
export class PartnerCatalog {
  private readonly byColumn = { buyerPart: new Map<string, string>(), vendorPart: new Map<string, string>(), upc: new Map<string, string>() };

  constructor(readonly partner: TradingPartner) {
    for (const item of partner.items) {
      if (item.buyerPart) this.byColumn.buyerPart.set(item.buyerPart, item.sku);
      if (item.vendorPart) this.byColumn.vendorPart.set(item.vendorPart, item.sku);
      if (item.upc) this.byColumn.upc.set(normalizeUpc(item.upc), item.sku);
    }
  }

  /**
   * Our SKU for the line (the first of its ids the cross-reference knows, in the order sent) and
   * the quantity in the SKU's unit (PO103 converted with the partner's unit table; EA is 1).
   */
  resolve(line: PurchaseOrderLine): ResolvedLine {
    const sku = this.skuOf(line);
    if (sku === null) {
      const ids = line.productIds.map((id) => `${id.qualifier} ${id.value}`).join(', ');
      return { ok: false, reason: `line ${line.index}: no item of ${this.partner.id}'s cross-reference matches ${ids || 'no product id'}` };
    }
    const factor = line.uom === 'EA' ? 1 : this.partner.uom[line.uom];
    if (factor === undefined) return { ok: false, reason: `line ${line.index}: unit ${line.uom} has no conversion in ${this.partner.id}'s unit table` };
    return { ok: true, sku, quantity: line.quantity * factor };
  }

  /** The partner's unit → our unit factor (1 for EA or unknown). */
  unitFactor(uom: string): number {
    return uom === 'EA' ? 1 : (this.partner.uom[uom] ?? 1);
  }

  private skuOf(line: PurchaseOrderLine): string | null {
    for (const id of line.productIds) {
      const column = QUALIFIERS[id.qualifier];
      if (!column) continue;
      const sku = this.byColumn[column].get(column === 'upc' ? normalizeUpc(id.value) : id.value);
      if (sku) return sku;
    }
    return null;
  }
}

/** UPCs arrive with and without leading zeros (UPC-A in a 14-digit GTIN field). */
function normalizeUpc(value: string): string {
  return value.replace(/^0+/, '');
}

/** Every configured partner, by id and by ISA sender. */
export class PartnerDirectory {
  private byId = new Map<string, PartnerCatalog>();
  private bySender = new Map<string, PartnerCatalog>();

  constructor(partners: readonly TradingPartner[]) {
    this.replace(partners);
  }

  /** Serves these partners from now on (the partner files changed); a lookup sees the old set or the new one, never a mix. */
  replace(partners: readonly TradingPartner[]): void {
    const byId = new Map<string, PartnerCatalog>();
    const bySender = new Map<string, PartnerCatalog>();
    for (const partner of partners) {
      const catalog = new PartnerCatalog(partner);
      byId.set(partner.id, catalog);
      bySender.set(senderKey(partner.isa.qualifier, partner.isa.id), catalog);
    }
    this.byId = byId;
    this.bySender = bySender;
  }

  get(id: string): PartnerCatalog | null {
    return this.byId.get(id) ?? null;
  }

  /** The partner an interchange comes from (ISA05/ISA06), null when unknown. */
  sender(header: IsaHeader): PartnerCatalog | null {
    return this.bySender.get(senderKey(header.senderQualifier, header.senderId)) ?? null;
  }

  /** The partner booking orders for this ERP customer (a partner token's customer_id). */
  byCustomer(customerId: string): PartnerCatalog[] {
    return [...this.byId.values()].filter((catalog) => catalog.partner.customerId === customerId);
  }

  all(): PartnerCatalog[] {
    return [...this.byId.values()];
  }
}

function senderKey(qualifier: string, id: string): string {
  return `${qualifier.trim()}/${id.trim()}`;
}
