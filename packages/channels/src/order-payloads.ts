import jsonata from 'jsonata';
import { isSafeNumber, parse } from 'lossless-json';
import { z } from 'zod';
import type { OrderLineRequest } from '@crossdock/order-capture';

/**
 * Parses a webhook body without losing precision: integers beyond 2^53 (Shopify's ids) stay the
 * exact digits sent, as strings; every other number becomes a number. Throws on invalid JSON.
 */
export function parseLossless(text: string): unknown {
  return parse(text, null, (value) => (isSafeNumber(value) ? Number(value) : value));
}

/** An order as a channel's payload describes it, in our terms. */
export interface ChannelOrder {
  /** The channel's own order id, exactly as sent (a string, whatever its size). */
  externalRef: string;
  customerId: string;
  lines: OrderLineRequest[];
}

/** A payload that cannot become an order; `field` says where. */
export class PayloadError extends Error {
  override name = 'PayloadError';

  constructor(
    message: string,
    readonly field: string | null = null,
  ) {
    super(field ? `${field}: ${message}` : message);
  }
}

const id = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
const shopifyOrderSchema = z.object({
  id,
  name: z.string().optional(),
  line_items: z.array(z.object({ id, sku: z.string().nullable().optional(), quantity: z.number().int().positive() })).min(1),
});

/** Shopify's orders/create and orders/cancelled payload, as much of it as order capture needs. */
export interface ShopifyOrder {
  id: string;
  name: string | null;
  lines: { lineItemId: string; sku: string | null; quantity: number }[];
}

/** Reads a Shopify order payload; the ids stay exact. */
export function readShopifyOrder(rawBody: string): ShopifyOrder {
  let value: unknown;
  try {
    value = parseLossless(rawBody);
  } catch (error) {
    throw new PayloadError(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = shopifyOrderSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PayloadError(issue?.message ?? 'not a Shopify order', issue ? issue.path.join('.') : null);
  }
  return {
    id: parsed.data.id,
    name: parsed.data.name ?? null,
    lines: parsed.data.line_items.map((item) => ({ lineItemId: item.id, sku: item.sku ?? null, quantity: item.quantity })),
  };
}

/** A Shopify order in our terms: the store's customer account, store SKUs mapped where configured. */
export function shopifyChannelOrder(order: ShopifyOrder, config: { customerId: string; skus: Record<string, string> }): ChannelOrder {
  return {
    externalRef: order.id,
    customerId: config.customerId,
    lines: order.lines.map((line, i) => {
      if (!line.sku) throw new PayloadError(`line item ${line.lineItemId} has no SKU`, `line_items.${i}.sku`);
      return { sku: config.skus[line.sku] ?? line.sku, quantity: line.quantity };
    }),
  };
}

const mappedOrderSchema = z.object({
  externalRef: id,
  customerId: z.string().min(1),
  lines: z.array(z.object({ sku: z.string().min(1), quantity: z.number().int() })).min(1),
});

/**
 * A channel described by a JSONata expression that turns its order JSON into
 * `{ externalRef, customerId, lines: [{ sku, quantity }] }`: a new marketplace is a mapping file,
 * not code. The expression is compiled once at start, so a broken mapping stops the service there.
 */
export class OrderMapping {
  private readonly expression: jsonata.Expression;

  constructor(
    readonly name: string,
    source: string,
  ) {
    try {
      this.expression = jsonata(source);
    } catch (error) {
      throw new Error(`mapping of channel ${name} does not compile: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async apply(rawBody: string): Promise<ChannelOrder> {
    let input: unknown;
    try {
      input = parseLossless(rawBody);
    } catch (error) {
      throw new PayloadError(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    let output: unknown;
    try {
      output = await this.expression.evaluate(input);
    } catch (error) {
      throw new PayloadError(`mapping ${this.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const parsed = mappedOrderSchema.safeParse(output);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PayloadError(`mapping ${this.name} produced no order: ${issue?.message ?? 'invalid'}`, issue ? issue.path.join('.') : null);
    }
    return parsed.data;
  }
}
