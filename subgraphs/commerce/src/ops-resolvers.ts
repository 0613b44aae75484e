import { isExceptionId, type ExceptionFilter as StoreFilter, type ExceptionKind, type ExceptionState } from '@crossdock/exceptions';
import type {
  ExceptionFilter,
  HubExceptionKind,
  HubExceptionResolvers,
  HubExceptionState,
  MutationResolvers,
  QueryResolvers,
  UserError,
} from './__generated__/resolvers-types';
import { readConnection } from './connection';
import type { CommerceContext } from './context';
import { parseDateTimeArgument } from './date-time';
import { fromExceptionStore, operatorOf, requireOpsAdmin } from './ops-access';
import { badUserInput } from './user-input';

/** Cursor list name of `Query.exceptions`. */
export const EXCEPTIONS_LIST = 'exceptions';

/** Most ids one replayExceptions call takes: a bigger backlog is replayed in pages. */
export const MAX_REPLAY_IDS = 100;

const KIND_TO_SCHEMA: Record<ExceptionKind, HubExceptionKind> = {
  'erp-posting': 'ERP_POSTING',
  'wms-posting': 'WMS_POSTING',
  'commerce-posting': 'COMMERCE_POSTING',
  'malformed-webhook': 'MALFORMED_WEBHOOK',
  'malformed-edi': 'MALFORMED_EDI',
  'event-publish': 'EVENT_PUBLISH',
  'edi-delivery': 'EDI_DELIVERY',
  'inventory-drift': 'INVENTORY_DRIFT',
  'availability-push': 'AVAILABILITY_PUSH',
};
const KIND_FROM_SCHEMA: Record<HubExceptionKind, ExceptionKind> = {
  ERP_POSTING: 'erp-posting',
  WMS_POSTING: 'wms-posting',
  COMMERCE_POSTING: 'commerce-posting',
  MALFORMED_WEBHOOK: 'malformed-webhook',
  MALFORMED_EDI: 'malformed-edi',
  EVENT_PUBLISH: 'event-publish',
  EDI_DELIVERY: 'edi-delivery',
  INVENTORY_DRIFT: 'inventory-drift',
  AVAILABILITY_PUSH: 'availability-push',
};
const STATE_TO_SCHEMA: Record<ExceptionState, HubExceptionState> = { open: 'OPEN', replayed: 'REPLAYED', discarded: 'DISCARDED' };
const STATE_FROM_SCHEMA: Record<HubExceptionState, ExceptionState> = { OPEN: 'open', REPLAYED: 'replayed', DISCARDED: 'discarded' };
/** Kinds whose subject is a hub order id. */
const ORDER_KINDS: ReadonlySet<ExceptionKind> = new Set(['erp-posting', 'wms-posting', 'commerce-posting']);

/** `Query.exceptions` for operators. */
export const opsQueries: Pick<QueryResolvers<CommerceContext>, 'exceptions'> = {
  exceptions: (_root, { filter, first, after }, { identity, capture }) => {
    requireOpsAdmin(identity);
    const storeFilter = storeFilterOf(filter);
    return readConnection(EXCEPTIONS_LIST, { first, after }, (page) =>
      fromExceptionStore(() => capture.exceptions.list(storeFilter, { first: page.first, after: checkedAfter(page.after) })),
    );
  },
};

/** replayExceptions and discardException for operators. */
export const opsMutations: Pick<MutationResolvers<CommerceContext>, 'replayExceptions' | 'discardException'> = {
  replayExceptions: async (_root, { ids }, { identity, capture }) => {
    requireOpsAdmin(identity);
    if (ids.length === 0 || ids.length > MAX_REPLAY_IDS) throw badUserInput(`ids must list 1 to ${MAX_REPLAY_IDS} exception ids, got ${ids.length}`, 'ids');
    // Each id gets its own outcome, including FAILED when the store is down: nothing is thrown here.
    return { results: await capture.replayer.replay(ids, operatorOf(identity)) };
  },
  discardException: async (_root, { id, reason }, { identity, capture }) => {
    requireOpsAdmin(identity);
    const outcome = await fromExceptionStore(() => capture.replayer.discard(id, reason, operatorOf(identity)));
    if (outcome.discarded) return { exception: outcome.exception, errors: [] };
    const error: UserError = { code: outcome.code, message: outcome.message, field: outcome.code === 'INVALID_REASON' ? ['reason'] : ['id'] };
    return { exception: outcome.exception, errors: [error] };
  },
};

/** The exception's own fields: the store's kebab-case kinds and lower-case states in the schema's enums. */
export const hubExceptionResolvers: HubExceptionResolvers<CommerceContext> = {
  kind: (exception) => KIND_TO_SCHEMA[exception.kind],
  state: (exception) => STATE_TO_SCHEMA[exception.state],
  order: (exception, _args, { loaders }) => (ORDER_KINDS.has(exception.kind) ? loaders.orderById.load(exception.subject) : null),
};

function storeFilterOf(filter: ExceptionFilter | null | undefined): StoreFilter {
  return {
    kinds: filter?.kinds?.map((kind) => KIND_FROM_SCHEMA[kind]) ?? null,
    states: filter?.states?.map((state) => STATE_FROM_SCHEMA[state]) ?? null,
    channel: filter?.channel ?? null,
    subject: filter?.subject ?? null,
    firstSeenAfter: filter?.firstSeenAfter ? parseDateTimeArgument('filter.firstSeenAfter', filter.firstSeenAfter) : null,
    firstSeenBefore: filter?.firstSeenBefore ? parseDateTimeArgument('filter.firstSeenBefore', filter.firstSeenBefore) : null,
  };
}

/** The store's keyset cursor is an exception id; a forged one is the client's error, not an empty page. */
function checkedAfter(after: string | null | undefined): string | null {
  if (after === null || after === undefined) return null;
  if (!isExceptionId(after)) throw badUserInput('"after" is not a cursor of the exceptions list', 'after');
  return after;
}
