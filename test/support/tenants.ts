import type { World, WorldOrder } from '@crossdock/simulators';

/**
 * Tenants of the cross-tenant test: a customer portal (`customer_id`) or a channel partner
 * (`channel`), with every record of the seeded world (and the hub orders the test placed) that
 * is theirs, so a response can be searched for records of the other.
 */
export interface Tenant {
  label: string;
  /** The token claims that make a caller this tenant. */
  claims: { customerId?: string; channel?: string };
  /** One record of each kind that is the tenant's, for arguments and for "it does see its own". */
  sample: { order: string; hubOrder: string; shipment: string; customer: string; channel: string; sku: string };
  orders: ReadonlySet<string>;
  shipments: ReadonlySet<string>;
  /** Invoice ids (the ERP's entry numbers). */
  invoices: ReadonlySet<string>;
  /** Distinctive strings of the tenant's records (ids, invoice and tracking numbers), searched for anywhere in an answer. */
  markers: ReadonlySet<string>;
  /** Customers whose account only this tenant may see; empty for a channel, which shares customers with other channels. */
  customers: ReadonlySet<string>;
}

/** A hub order the test placed, with whose it is. */
export interface HubOrder {
  id: string;
  customerId: string;
  channel: string;
}

function tenantOf(world: World, label: string, claims: Tenant['claims'], owns: (o: { customerId: string; channel: string }) => boolean, hubOrders: readonly HubOrder[]): Tenant {
  const seeded = world.orders.filter(owns);
  const hub = hubOrders.filter(owns);
  const orders = new Set([...seeded.map((o) => o.id), ...hub.map((o) => o.id)]);
  const shipments = world.shipments.filter((s) => orders.has(s.orderId));
  const invoices = world.invoices.filter((i) => orders.has(i.orderId));
  const full = seeded.find((o: WorldOrder) => shipments.some((s) => s.orderId === o.id) && invoices.some((i) => i.orderId === o.id));
  if (!full || !hub[0]) throw new Error(`${label} has no shipped and invoiced order, or no hub order`);
  const customers = claims.customerId ? new Set([claims.customerId]) : new Set<string>();
  return {
    label,
    claims,
    sample: {
      order: full.id,
      hubOrder: hub[0].id,
      shipment: shipments.find((s) => s.orderId === full.id)!.id,
      customer: full.customerId,
      channel: full.channel,
      sku: full.lines[0]!.sku,
    },
    orders,
    shipments: new Set(shipments.map((s) => s.id)),
    invoices: new Set(invoices.map((i) => String(i.entryNo))),
    markers: new Set([...orders, ...shipments.flatMap((s) => [s.id, s.trackingNumber]), ...invoices.map((i) => i.number), ...customers]),
    customers,
  };
}

/** A customer portal: the customer's orders in every channel, their shipments and invoices, and its account. */
export function customerTenant(world: World, customerId: string, hubOrders: readonly HubOrder[]): Tenant {
  return tenantOf(world, `customer ${customerId}`, { customerId }, (o) => o.customerId === customerId, hubOrders);
}

/** A channel partner: every order of the channel, whoever the customer, with their shipments and invoices. */
export function channelTenant(world: World, channel: string, hubOrders: readonly HubOrder[]): Tenant {
  return tenantOf(world, `channel ${channel}`, { channel }, (o) => o.channel === channel, hubOrders);
}

/** Records of a response by kind, read from `__typename` and `id` of every object in it. */
export interface RecordsSeen {
  orders: Set<string>;
  shipments: Set<string>;
  invoices: Set<string>;
  customers: Set<string>;
}

/** Nothing seen yet. */
export function emptyRecords(): RecordsSeen {
  return { orders: new Set(), shipments: new Set(), invoices: new Set(), customers: new Set() };
}

/** Adds every record in `value` (a GraphQL answer's data) to `seen`. */
export function collectRecords(value: unknown, seen: RecordsSeen): RecordsSeen {
  if (Array.isArray(value)) {
    for (const item of value) collectRecords(item, seen);
    return seen;
  }
  if (typeof value !== 'object' || value === null) return seen;
  const record = new Map(Object.entries(value));
  const typename = record.get('__typename');
  const id = record.get('id');
  if (typeof id === 'string') {
    if (typename === 'Order') seen.orders.add(id);
    if (typename === 'OrderLine') seen.orders.add(id.slice(0, id.lastIndexOf(':')));
    if (typename === 'Shipment') seen.shipments.add(id);
    if (typename === 'Invoice') seen.invoices.add(id);
    if (typename === 'Customer') seen.customers.add(id);
  }
  if (typename === 'HubException' && typeof record.get('subject') === 'string') seen.orders.add(String(record.get('subject')));
  for (const child of record.values()) collectRecords(child, seen);
  return seen;
}

/** What of `other`'s appears in an answer: typed records, and its markers anywhere in the text. */
export function leaksOf(data: unknown, other: Tenant): string[] {
  const seen = collectRecords(data, emptyRecords());
  const typed = [
    ...[...seen.orders].filter((id) => other.orders.has(id)).map((id) => `Order ${id}`),
    ...[...seen.shipments].filter((id) => other.shipments.has(id)).map((id) => `Shipment ${id}`),
    ...[...seen.invoices].filter((id) => other.invoices.has(id)).map((id) => `Invoice ${id}`),
    ...[...seen.customers].filter((id) => other.customers.has(id)).map((id) => `Customer ${id}`),
  ];
  const text = JSON.stringify(data ?? null);
  const mentioned = [...other.markers].filter((marker) => text.includes(marker)).map((marker) => `"${marker}"`);
  return [...typed, ...mentioned];
}
