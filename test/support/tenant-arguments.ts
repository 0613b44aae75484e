import { getNamedType, isNonNullType, type GraphQLArgument, type GraphQLField } from 'graphql';
import type { NestedArguments } from './schema-walk';
import type { Tenant } from './tenants';

/** Page size of root lists: every order a customer portal has, and a good share of a channel's. */
const ROOT_PAGE = 50;
/** Page size of nested lists (a customer's orders inside an order): enough to cross subgraphs, bounded in cost. */
const NESTED_PAGE = 5;

/**
 * Argument values for a root field, as a list of argument sets to try: each id argument with the
 * tenant's own record AND the other tenant's (and a list filter narrowed to the other tenant), so
 * every root field is asked for the other's records by name as well as by listing. Inferred from
 * the argument and the field's type; a required argument nothing here knows fails the test, so a
 * new root field is never silently skipped.
 */
export function rootArgumentSets(parent: string, field: GraphQLField<unknown, unknown>, own: Tenant, other: Tenant): Record<string, unknown>[] {
  let sets: Record<string, unknown>[] = [{}];
  for (const arg of field.args) {
    const values = valuesFor(field, arg, own, other);
    if (values === null) {
      if (isNonNullType(arg.type) && arg.defaultValue === undefined) throw new Error(`cross-tenant walk: no value for ${parent}.${field.name}(${arg.name}); teach tenant-arguments.ts one`);
      continue;
    }
    sets = sets.flatMap((set) => values.map((value) => ({ ...set, [arg.name]: value })));
  }
  return sets;
}

function valuesFor(field: GraphQLField<unknown, unknown>, arg: GraphQLArgument, own: Tenant, other: Tenant): unknown[] | null {
  const argType = getNamedType(arg.type).name;
  const returns = getNamedType(field.type).name;
  if (arg.name === 'id' && argType === 'ID') {
    if (returns === 'Order' || returns === 'CancelOrderPayload') return [own.sample.order, other.sample.order, other.sample.hubOrder];
    if (returns === 'Customer') return [own.sample.customer, other.sample.customer];
    if (returns === 'Shipment') return [own.sample.shipment, other.sample.shipment];
    return null;
  }
  if (arg.name === 'sku') return [own.sample.sku, other.sample.sku];
  if (arg.name === 'quantity' && argType === 'Int') return [1];
  if (arg.name === 'first' && argType === 'Int') return [ROOT_PAGE];
  if (argType === 'OrderFilter') return [null, { customerId: other.sample.customer }, { channel: other.sample.channel }];
  return null;
}

/** A channel every tenant may ask a channel-keyed field about (a channel partner of another channel gets nothing back). */
const NESTED_CHANNEL = 'web';

/** Nested lists are read a short page at a time, channel-keyed fields for one channel; every other nested argument takes its default. */
export const nestedArguments: NestedArguments = (_parent, _field, arg) => {
  if (arg.name === 'first') return NESTED_PAGE;
  if (arg.name === 'channel') return NESTED_CHANNEL;
  return undefined;
};
