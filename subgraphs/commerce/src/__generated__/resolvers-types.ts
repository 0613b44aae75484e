import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Order as OrderModel, OrderLine as OrderLineModel } from '@crossdock/model';
import type { CustomerRef as CustomerRefModel, ProductRef as ProductRefModel } from '../references';
import type { HubException as HubExceptionModel, ReplayResult as ReplayResultModel } from '@crossdock/exceptions';
import type { EdiDocument as EdiDocumentModel, InterchangeResult as InterchangeResultModel, PurchaseOrderResult as PurchaseOrderResultModel, IntakeIssue as IntakeIssueModel } from '@crossdock/channels';
import type { CommerceContext } from '../context';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** ISO-8601 date-time in UTC, e.g. 2026-11-26T10:04:05.000Z. */
  DateTime: { input: string; output: string; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type CancelOrderPayload = {
  __typename?: 'CancelOrderPayload';
  errors: Array<UserError>;
  order?: Maybe<Order>;
};

export type Customer = {
  __typename?: 'Customer';
  id: Scalars['ID']['output'];
  /** The customer's orders, newest first. */
  orders: OrderConnection;
};


export type CustomerOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type DiscardExceptionPayload = {
  __typename?: 'DiscardExceptionPayload';
  /** NOT_FOUND, ALREADY_REPLAYED, REPLAY_IN_PROGRESS or INVALID_REASON (field ["reason"]). */
  errors: Array<UserError>;
  /** The exception as it stands: discarded (now or before), or as it was when refused; null when unknown. */
  exception?: Maybe<HubException>;
};

export type EdiDelivery = {
  __typename?: 'EdiDelivery';
  attempts: Scalars['Int']['output'];
  deliveredAt?: Maybe<Scalars['DateTime']['output']>;
  lastError?: Maybe<Scalars['String']['output']>;
  state: EdiDeliveryState;
};

/** QUEUED: waiting for a delivery attempt. DELIVERED. FAILED: given up (an EDI_DELIVERY exception is open). PULL: the partner fetches it here. */
export type EdiDeliveryState =
  | 'DELIVERED'
  | 'FAILED'
  | 'PULL'
  | 'QUEUED';

/** An outbound X12 interchange for one trading partner. */
export type EdiDocument = {
  __typename?: 'EdiDocument';
  /** The X12 text as sent. */
  body: Scalars['String']['output'];
  /** This document's ISA13. */
  controlNumber: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  delivery: EdiDelivery;
  id: Scalars['ID']['output'];
  /** The order it is about, when any. */
  order?: Maybe<Order>;
  partnerId: Scalars['String']['output'];
  /** What it answers: the inbound ISA13 (997), the PO number (855), the shipment id (856), the invoice id (810). */
  reference: Scalars['String']['output'];
  /** 997: A, P or R; 855: AT, AC or RJ. */
  status?: Maybe<Scalars['String']['output']>;
  /** The transaction set: 997, 855, 856 or 810. */
  type: Scalars['String']['output'];
};

export type EdiDocumentConnection = {
  __typename?: 'EdiDocumentConnection';
  edges: Array<EdiDocumentEdge>;
  pageInfo: PageInfo;
};

export type EdiDocumentEdge = {
  __typename?: 'EdiDocumentEdge';
  cursor: Scalars['String']['output'];
  node: EdiDocument;
};

export type EdiDocumentFilter = {
  orderId?: InputMaybe<Scalars['ID']['input']>;
  /** Operators only; a partner's token is limited to its own partner anyway. */
  partnerId?: InputMaybe<Scalars['String']['input']>;
  /** X12 transaction set ids: 997, 855, 856, 810. */
  types?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type EdiInterchangeResult = {
  __typename?: 'EdiInterchangeResult';
  /** The 997 (with a TA1 when the envelope itself was bad). */
  acknowledgment?: Maybe<EdiDocument>;
  /** AK901 of the 997: A, P or R. */
  acknowledgmentStatus: Scalars['String']['output'];
  /** ISA13 as sent. */
  controlNumber: Scalars['String']['output'];
  /** The same sender and ISA13 came before: this is the first answer again. */
  duplicate: Scalars['Boolean']['output'];
  issues: Array<EdiIssue>;
  partnerId: Scalars['String']['output'];
  purchaseOrders: Array<EdiPurchaseOrderResult>;
};

/** A problem found in a submitted document, with the X12 code and its place (1-based; inside a transaction set, ST is segment 1). */
export type EdiIssue = {
  __typename?: 'EdiIssue';
  /** TA1, AK9 or AK5 code. */
  code: Scalars['String']['output'];
  elementPosition?: Maybe<Scalars['Int']['output']>;
  /** interchange, group or transaction. */
  level: Scalars['String']['output'];
  message: Scalars['String']['output'];
  segmentPosition?: Maybe<Scalars['Int']['output']>;
  segmentTag?: Maybe<Scalars['String']['output']>;
};

/** ACCEPTED: placed. REJECTED: refused by order capture (the 855 says so). HELD: kept as an exception until the partner's data or the item cross-reference is fixed. DUPLICATE: this PO was taken before. QUEUED: a backend was unavailable (not the partner's fault); it is placed by itself when it is back, and the 855 follows then. */
export type EdiPurchaseOrderOutcome =
  | 'ACCEPTED'
  | 'DUPLICATE'
  | 'HELD'
  | 'QUEUED'
  | 'REJECTED';

export type EdiPurchaseOrderResult = {
  __typename?: 'EdiPurchaseOrderResult';
  /** The 855, when the partner wants them. */
  acknowledgment?: Maybe<EdiDocument>;
  errors: Array<UserError>;
  /** The order placed (or, for a duplicate, placed before). */
  order?: Maybe<Order>;
  outcome: EdiPurchaseOrderOutcome;
  /** BEG03. */
  poNumber: Scalars['String']['output'];
  /** ST02 of its transaction set. */
  setControlNumber: Scalars['String']['output'];
};

export type ExceptionConnection = {
  __typename?: 'ExceptionConnection';
  edges: Array<ExceptionEdge>;
  pageInfo: PageInfo;
};

export type ExceptionEdge = {
  __typename?: 'ExceptionEdge';
  cursor: Scalars['String']['output'];
  node: HubException;
};

export type ExceptionFilter = {
  channel?: InputMaybe<Scalars['String']['input']>;
  /** First seen at or after (inclusive). */
  firstSeenAfter?: InputMaybe<Scalars['DateTime']['input']>;
  /** First seen before (exclusive): exceptions older than this. */
  firstSeenBefore?: InputMaybe<Scalars['DateTime']['input']>;
  kinds?: InputMaybe<Array<HubExceptionKind>>;
  /** Default: every state. */
  states?: InputMaybe<Array<HubExceptionState>>;
  /** What the item is about, e.g. an order id. */
  subject?: InputMaybe<Scalars['String']['input']>;
};

/**
 * REPLAYED: handed back now. ALREADY_REPLAYED: replayed before, nothing done again. IN_PROGRESS:
 * another replay holds it right now. DISCARDED: discarded, not replayed. NOT_FOUND. NOT_REPLAYABLE:
 * this kind cannot be replayed, or its item is gone (it stays open; discard it). FAILED: could not
 * be done now (it stays open; try again).
 */
export type ExceptionReplayOutcome =
  | 'ALREADY_REPLAYED'
  | 'DISCARDED'
  | 'FAILED'
  | 'IN_PROGRESS'
  | 'NOT_FOUND'
  | 'NOT_REPLAYABLE'
  | 'REPLAYED';

export type ExceptionReplayResult = {
  __typename?: 'ExceptionReplayResult';
  /** The exception as it stands afterwards; null when unknown. */
  exception?: Maybe<HubException>;
  id: Scalars['ID']['output'];
  message: Scalars['String']['output'];
  outcome: ExceptionReplayOutcome;
};

export type ExceptionResolution = {
  __typename?: 'ExceptionResolution';
  at: Scalars['DateTime']['output'];
  by: Scalars['String']['output'];
  note?: Maybe<Scalars['String']['output']>;
};

/** An item the hub could not process, kept with its raw payload for replay (a dead letter). */
export type HubException = {
  __typename?: 'HubException';
  /** Processing attempts behind it. */
  attempts: Scalars['Int']['output'];
  channel?: Maybe<Scalars['String']['output']>;
  firstSeenAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  kind: HubExceptionKind;
  lastSeenAt: Scalars['DateTime']['output'];
  /** The order the exception is about (postings), as the hub knows it now. */
  order?: Maybe<Order>;
  /** The item as first recorded, verbatim: the order as JSON, the webhook body, the EDI document. */
  rawPayload: Scalars['String']['output'];
  /** Why it could not be processed, as last seen. */
  reason: Scalars['String']['output'];
  /** Who replayed or discarded it, when, and the outcome or reason. */
  resolution?: Maybe<ExceptionResolution>;
  state: HubExceptionState;
  /** What the item is about: an order id for postings, a document or delivery id for inputs. */
  subject: Scalars['String']['output'];
  warehouseId?: Maybe<Scalars['String']['output']>;
};

/** What kind of item the hub could not process. */
export type HubExceptionKind =
  /** A sales channel kept failing or refused the available-to-sell figures pushed to it; the feed keeps retrying, discard once the channel is healthy. */
  | 'AVAILABILITY_PUSH'
  /** The outbox gave up posting an order to the commerce platform. */
  | 'COMMERCE_POSTING'
  /** An outbound EDI document its partner's endpoint kept refusing; replay queues it for delivery again. */
  | 'EDI_DELIVERY'
  /** The outbox gave up posting an order to the ERP. */
  | 'ERP_POSTING'
  /** An event the hub could not publish. */
  | 'EVENT_PUBLISH'
  /** The WMS and the hub disagree on a position's stock past the drift threshold (inventory reconciliation); discard once corrected. */
  | 'INVENTORY_DRIFT'
  | 'MALFORMED_EDI'
  | 'MALFORMED_WEBHOOK'
  /** The outbox gave up posting an order's allocations to the WMS. */
  | 'WMS_POSTING';

export type HubExceptionState =
  /** Closed by an operator without replaying; see resolution. */
  | 'DISCARDED'
  /** Waiting for an operator. */
  | 'OPEN'
  /** Handed back for processing. */
  | 'REPLAYED';

/**
 * Order capture from every channel. Validated against ERP master data, stock reserved atomically
 * across all channels and hub replicas, posted to the ERP, WMS and commerce platform through the
 * hub's outbox.
 */
export type Mutation = {
  __typename?: 'Mutation';
  /** Releases the order's stock and cancels it in the ERP; refused once anything has shipped. */
  cancelOrder: CancelOrderPayload;
  /** Operators (scope ops:admin): closes an open exception without replaying it; the reason is kept. */
  discardException: DiscardExceptionPayload;
  /** Idempotent on (channel, idempotencyKey) for 24 hours: a repeat returns the first answer. */
  placeOrder: PlaceOrderPayload;
  /**
   * Operators (scope ops:admin): hands each exception's item back for processing (a failed
   * posting is queued again for the outbox) and closes it as replayed; one outcome per distinct id.
   * Idempotent: replaying a replayed exception does nothing again. At most 100 ids.
   */
  replayExceptions: ReplayExceptionsPayload;
  /**
   * Takes an X12 document of one or more interchanges of 850 purchase orders, as POST /edi/x12
   * does: each interchange is validated and answered with a 997, each valid PO is placed (channel
   * and customer from the partner's configuration, externalRef = BEG03) and, when the partner wants
   * it, acknowledged with an 855. The same sender and ISA13 again returns the first answer; the same
   * PO again creates no second order. A partner's token may only submit as that partner.
   */
  submitEdi: SubmitEdiPayload;
};


/**
 * Order capture from every channel. Validated against ERP master data, stock reserved atomically
 * across all channels and hub replicas, posted to the ERP, WMS and commerce platform through the
 * hub's outbox.
 */
export type MutationCancelOrderArgs = {
  id: Scalars['ID']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
};


/**
 * Order capture from every channel. Validated against ERP master data, stock reserved atomically
 * across all channels and hub replicas, posted to the ERP, WMS and commerce platform through the
 * hub's outbox.
 */
export type MutationDiscardExceptionArgs = {
  id: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


/**
 * Order capture from every channel. Validated against ERP master data, stock reserved atomically
 * across all channels and hub replicas, posted to the ERP, WMS and commerce platform through the
 * hub's outbox.
 */
export type MutationPlaceOrderArgs = {
  input: PlaceOrderInput;
};


/**
 * Order capture from every channel. Validated against ERP master data, stock reserved atomically
 * across all channels and hub replicas, posted to the ERP, WMS and commerce platform through the
 * hub's outbox.
 */
export type MutationReplayExceptionsArgs = {
  ids: Array<Scalars['ID']['input']>;
};


/**
 * Order capture from every channel. Validated against ERP master data, stock reserved atomically
 * across all channels and hub replicas, posted to the ERP, WMS and commerce platform through the
 * hub's outbox.
 */
export type MutationSubmitEdiArgs = {
  document: Scalars['String']['input'];
};

export type Order = {
  __typename?: 'Order';
  channel: Scalars['String']['output'];
  customer: Customer;
  /** The channel's own order or PO number. */
  externalRef?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  lines: Array<OrderLine>;
  placedAt: Scalars['DateTime']['output'];
  status: OrderStatus;
};

export type OrderConnection = {
  __typename?: 'OrderConnection';
  edges: Array<OrderEdge>;
  pageInfo: PageInfo;
};

export type OrderEdge = {
  __typename?: 'OrderEdge';
  cursor: Scalars['String']['output'];
  node: Order;
};

export type OrderFilter = {
  channel?: InputMaybe<Scalars['String']['input']>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Inclusive. */
  placedAfter?: InputMaybe<Scalars['DateTime']['input']>;
  /** Exclusive. */
  placedBefore?: InputMaybe<Scalars['DateTime']['input']>;
  status?: InputMaybe<Array<OrderStatus>>;
};

export type OrderLine = {
  __typename?: 'OrderLine';
  /** <order id>:<line number> */
  id: Scalars['ID']['output'];
  lineNumber: Scalars['Int']['output'];
  product: Product;
  quantity: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
};

export type OrderLineInput = {
  quantity: Scalars['Int']['input'];
  sku: Scalars['ID']['input'];
};

export type OrderStatus =
  | 'ACCEPTED'
  | 'ALLOCATED'
  | 'CANCELLED'
  | 'DELIVERED'
  | 'ON_HOLD'
  | 'PARTIALLY_SHIPPED'
  | 'SHIPPED';

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type PlaceOrderInput = {
  channel: Scalars['String']['input'];
  customerId: Scalars['ID']['input'];
  /** The channel's own order or PO number. */
  externalRef?: InputMaybe<Scalars['String']['input']>;
  idempotencyKey: Scalars['String']['input'];
  lines: Array<OrderLineInput>;
};

export type PlaceOrderPayload = {
  __typename?: 'PlaceOrderPayload';
  errors: Array<UserError>;
  /** Null when the order was rejected; then errors says why. */
  order?: Maybe<Order>;
};

export type Product = {
  __typename?: 'Product';
  sku: Scalars['ID']['output'];
};

/**
 * The commerce subgraph: the canonical order as captured from every channel (web store,
 * marketplace, EDI, B2B portal).
 */
export type Query = {
  __typename?: 'Query';
  /**
   * Outbound X12 documents (997, 855, 856, 810), newest first, for EDI partners that pull them
   * (scope edi:submit: a partner's token sees only its own partner's) and for operators (ops:admin).
   */
  ediDocuments: EdiDocumentConnection;
  /**
   * Operators (scope ops:admin): items the hub could not process (postings the outbox gave up on,
   * malformed webhooks and EDI documents, events that failed to publish), newest first.
   */
  exceptions: ExceptionConnection;
  order?: Maybe<Order>;
  /** Newest first. */
  orders: OrderConnection;
};


/**
 * The commerce subgraph: the canonical order as captured from every channel (web store,
 * marketplace, EDI, B2B portal).
 */
export type QueryEdiDocumentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<EdiDocumentFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * The commerce subgraph: the canonical order as captured from every channel (web store,
 * marketplace, EDI, B2B portal).
 */
export type QueryExceptionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ExceptionFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/**
 * The commerce subgraph: the canonical order as captured from every channel (web store,
 * marketplace, EDI, B2B portal).
 */
export type QueryOrderArgs = {
  id: Scalars['ID']['input'];
};


/**
 * The commerce subgraph: the canonical order as captured from every channel (web store,
 * marketplace, EDI, B2B portal).
 */
export type QueryOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<OrderFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type ReplayExceptionsPayload = {
  __typename?: 'ReplayExceptionsPayload';
  /** One per distinct id, in the order asked. */
  results: Array<ExceptionReplayResult>;
};

export type SubmitEdiPayload = {
  __typename?: 'SubmitEdiPayload';
  /** EDI_UNREADABLE, EDI_UNKNOWN_SENDER (field ["document"]) or EDI_SENDER_MISMATCH; nothing was taken then. */
  errors: Array<UserError>;
  interchanges: Array<EdiInterchangeResult>;
  /** Where an unreadable document went wrong. */
  issues: Array<EdiIssue>;
};

/**
 * Live events over graphql-ws. Each `next` message carries the event's cursor in
 * `extensions.cursor`; subscribing again with `after: <cursor>` first replays what came after it
 * (within the stream's retention, else the error CURSOR_EXPIRED), then goes live, without gaps or
 * duplicates.
 */
export type Subscription = {
  __typename?: 'Subscription';
  /**
   * An order's status moved: placed, cancelled, or shipped and delivered as the carrier scans its
   * parcels. Null orderId means every order the caller may see (a customer or channel token: only
   * its own).
   */
  orderStatusChanged: Order;
};


/**
 * Live events over graphql-ws. Each `next` message carries the event's cursor in
 * `extensions.cursor`; subscribing again with `after: <cursor>` first replays what came after it
 * (within the stream's retention, else the error CURSOR_EXPIRED), then goes live, without gaps or
 * duplicates.
 */
export type SubscriptionOrderStatusChangedArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  orderId?: InputMaybe<Scalars['ID']['input']>;
};

/** A problem with the request that the caller can fix; field points at the input, e.g. ["lines", "0", "quantity"]. */
export type UserError = {
  __typename?: 'UserError';
  code: Scalars['String']['output'];
  field?: Maybe<Array<Scalars['String']['output']>>;
  message: Scalars['String']['output'];
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Customer: Customer;
  Order: Order;
  OrderLine: OrderLine;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Customer:
    ( { __typename: 'Customer' }
    & GraphQLRecursivePick<FederationTypes['Customer'], {"id":true}> );
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"id":true}> );
  OrderLine:
    ( { __typename: 'OrderLine' }
    & GraphQLRecursivePick<FederationTypes['OrderLine'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  CancelOrderPayload: ResolverTypeWrapper<Omit<CancelOrderPayload, 'order'> & { order?: Maybe<ResolversTypes['Order']> }>;
  Customer: ResolverTypeWrapper<CustomerRefModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DiscardExceptionPayload: ResolverTypeWrapper<Omit<DiscardExceptionPayload, 'exception'> & { exception?: Maybe<ResolversTypes['HubException']> }>;
  EdiDelivery: ResolverTypeWrapper<EdiDelivery>;
  EdiDeliveryState: EdiDeliveryState;
  EdiDocument: ResolverTypeWrapper<EdiDocumentModel>;
  EdiDocumentConnection: ResolverTypeWrapper<Omit<EdiDocumentConnection, 'edges'> & { edges: Array<ResolversTypes['EdiDocumentEdge']> }>;
  EdiDocumentEdge: ResolverTypeWrapper<Omit<EdiDocumentEdge, 'node'> & { node: ResolversTypes['EdiDocument'] }>;
  EdiDocumentFilter: EdiDocumentFilter;
  EdiInterchangeResult: ResolverTypeWrapper<InterchangeResultModel>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  EdiIssue: ResolverTypeWrapper<IntakeIssueModel>;
  EdiPurchaseOrderOutcome: EdiPurchaseOrderOutcome;
  EdiPurchaseOrderResult: ResolverTypeWrapper<PurchaseOrderResultModel>;
  ExceptionConnection: ResolverTypeWrapper<Omit<ExceptionConnection, 'edges'> & { edges: Array<ResolversTypes['ExceptionEdge']> }>;
  ExceptionEdge: ResolverTypeWrapper<Omit<ExceptionEdge, 'node'> & { node: ResolversTypes['HubException'] }>;
  ExceptionFilter: ExceptionFilter;
  ExceptionReplayOutcome: ExceptionReplayOutcome;
  ExceptionReplayResult: ResolverTypeWrapper<ReplayResultModel>;
  ExceptionResolution: ResolverTypeWrapper<ExceptionResolution>;
  HubException: ResolverTypeWrapper<HubExceptionModel>;
  HubExceptionKind: HubExceptionKind;
  HubExceptionState: HubExceptionState;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Order: ResolverTypeWrapper<OrderModel>;
  OrderConnection: ResolverTypeWrapper<Omit<OrderConnection, 'edges'> & { edges: Array<ResolversTypes['OrderEdge']> }>;
  OrderEdge: ResolverTypeWrapper<Omit<OrderEdge, 'node'> & { node: ResolversTypes['Order'] }>;
  OrderFilter: OrderFilter;
  OrderLine: ResolverTypeWrapper<OrderLineModel>;
  OrderLineInput: OrderLineInput;
  OrderStatus: OrderStatus;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PlaceOrderInput: PlaceOrderInput;
  PlaceOrderPayload: ResolverTypeWrapper<Omit<PlaceOrderPayload, 'order'> & { order?: Maybe<ResolversTypes['Order']> }>;
  Product: ResolverTypeWrapper<ProductRefModel>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ReplayExceptionsPayload: ResolverTypeWrapper<Omit<ReplayExceptionsPayload, 'results'> & { results: Array<ResolversTypes['ExceptionReplayResult']> }>;
  SubmitEdiPayload: ResolverTypeWrapper<Omit<SubmitEdiPayload, 'interchanges' | 'issues'> & { interchanges: Array<ResolversTypes['EdiInterchangeResult']>, issues: Array<ResolversTypes['EdiIssue']> }>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  UserError: ResolverTypeWrapper<UserError>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  CancelOrderPayload: Omit<CancelOrderPayload, 'order'> & { order?: Maybe<ResolversParentTypes['Order']> };
  Customer: CustomerRefModel;
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  Int: Scalars['Int']['output'];
  DateTime: Scalars['DateTime']['output'];
  DiscardExceptionPayload: Omit<DiscardExceptionPayload, 'exception'> & { exception?: Maybe<ResolversParentTypes['HubException']> };
  EdiDelivery: EdiDelivery;
  EdiDocument: EdiDocumentModel;
  EdiDocumentConnection: Omit<EdiDocumentConnection, 'edges'> & { edges: Array<ResolversParentTypes['EdiDocumentEdge']> };
  EdiDocumentEdge: Omit<EdiDocumentEdge, 'node'> & { node: ResolversParentTypes['EdiDocument'] };
  EdiDocumentFilter: EdiDocumentFilter;
  EdiInterchangeResult: InterchangeResultModel;
  Boolean: Scalars['Boolean']['output'];
  EdiIssue: IntakeIssueModel;
  EdiPurchaseOrderResult: PurchaseOrderResultModel;
  ExceptionConnection: Omit<ExceptionConnection, 'edges'> & { edges: Array<ResolversParentTypes['ExceptionEdge']> };
  ExceptionEdge: Omit<ExceptionEdge, 'node'> & { node: ResolversParentTypes['HubException'] };
  ExceptionFilter: ExceptionFilter;
  ExceptionReplayResult: ReplayResultModel;
  ExceptionResolution: ExceptionResolution;
  HubException: HubExceptionModel;
  Mutation: Record<PropertyKey, never>;
  Order: OrderModel;
  OrderConnection: Omit<OrderConnection, 'edges'> & { edges: Array<ResolversParentTypes['OrderEdge']> };
  OrderEdge: Omit<OrderEdge, 'node'> & { node: ResolversParentTypes['Order'] };
  OrderFilter: OrderFilter;
  OrderLine: OrderLineModel;
  OrderLineInput: OrderLineInput;
  PageInfo: PageInfo;
  PlaceOrderInput: PlaceOrderInput;
  PlaceOrderPayload: Omit<PlaceOrderPayload, 'order'> & { order?: Maybe<ResolversParentTypes['Order']> };
  Product: ProductRefModel;
  Query: Record<PropertyKey, never>;
  ReplayExceptionsPayload: Omit<ReplayExceptionsPayload, 'results'> & { results: Array<ResolversParentTypes['ExceptionReplayResult']> };
  SubmitEdiPayload: Omit<SubmitEdiPayload, 'interchanges' | 'issues'> & { interchanges: Array<ResolversParentTypes['EdiInterchangeResult']>, issues: Array<ResolversParentTypes['EdiIssue']> };
  Subscription: Record<PropertyKey, never>;
  UserError: UserError;
}>;

export type CancelOrderPayloadResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['CancelOrderPayload'] = ResolversParentTypes['CancelOrderPayload']> = ResolversObject<{
  errors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType>;
}>;

export type CustomerResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['Customer'] = ResolversParentTypes['Customer'], FederationReferenceType extends FederationReferenceTypes['Customer'] = FederationReferenceTypes['Customer']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Customer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  orders?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, RequireFields<CustomerOrdersArgs, 'first'>>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DiscardExceptionPayloadResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['DiscardExceptionPayload'] = ResolversParentTypes['DiscardExceptionPayload']> = ResolversObject<{
  errors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
  exception?: Resolver<Maybe<ResolversTypes['HubException']>, ParentType, ContextType>;
}>;

export type EdiDeliveryResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['EdiDelivery'] = ResolversParentTypes['EdiDelivery']> = ResolversObject<{
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  deliveredAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['EdiDeliveryState'], ParentType, ContextType>;
}>;

export type EdiDocumentResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['EdiDocument'] = ResolversParentTypes['EdiDocument']> = ResolversObject<{
  body?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  controlNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  delivery?: Resolver<ResolversTypes['EdiDelivery'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType>;
  partnerId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reference?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type EdiDocumentConnectionResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['EdiDocumentConnection'] = ResolversParentTypes['EdiDocumentConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['EdiDocumentEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type EdiDocumentEdgeResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['EdiDocumentEdge'] = ResolversParentTypes['EdiDocumentEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['EdiDocument'], ParentType, ContextType>;
}>;

export type EdiInterchangeResultResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['EdiInterchangeResult'] = ResolversParentTypes['EdiInterchangeResult']> = ResolversObject<{
  acknowledgment?: Resolver<Maybe<ResolversTypes['EdiDocument']>, ParentType, ContextType>;
  acknowledgmentStatus?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  controlNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  duplicate?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  issues?: Resolver<Array<ResolversTypes['EdiIssue']>, ParentType, ContextType>;
  partnerId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  purchaseOrders?: Resolver<Array<ResolversTypes['EdiPurchaseOrderResult']>, ParentType, ContextType>;
}>;

export type EdiIssueResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['EdiIssue'] = ResolversParentTypes['EdiIssue']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  elementPosition?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  level?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  segmentPosition?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  segmentTag?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type EdiPurchaseOrderResultResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['EdiPurchaseOrderResult'] = ResolversParentTypes['EdiPurchaseOrderResult']> = ResolversObject<{
  acknowledgment?: Resolver<Maybe<ResolversTypes['EdiDocument']>, ParentType, ContextType>;
  errors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['EdiPurchaseOrderOutcome'], ParentType, ContextType>;
  poNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  setControlNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ExceptionConnectionResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['ExceptionConnection'] = ResolversParentTypes['ExceptionConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['ExceptionEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type ExceptionEdgeResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['ExceptionEdge'] = ResolversParentTypes['ExceptionEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['HubException'], ParentType, ContextType>;
}>;

export type ExceptionReplayResultResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['ExceptionReplayResult'] = ResolversParentTypes['ExceptionReplayResult']> = ResolversObject<{
  exception?: Resolver<Maybe<ResolversTypes['HubException']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['ExceptionReplayOutcome'], ParentType, ContextType>;
}>;

export type ExceptionResolutionResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['ExceptionResolution'] = ResolversParentTypes['ExceptionResolution']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  by?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  note?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type HubExceptionResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['HubException'] = ResolversParentTypes['HubException']> = ResolversObject<{
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  channel?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  firstSeenAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['HubExceptionKind'], ParentType, ContextType>;
  lastSeenAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType>;
  rawPayload?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  resolution?: Resolver<Maybe<ResolversTypes['ExceptionResolution']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['HubExceptionState'], ParentType, ContextType>;
  subject?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  warehouseId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  cancelOrder?: Resolver<ResolversTypes['CancelOrderPayload'], ParentType, ContextType, RequireFields<MutationCancelOrderArgs, 'id'>>;
  discardException?: Resolver<ResolversTypes['DiscardExceptionPayload'], ParentType, ContextType, RequireFields<MutationDiscardExceptionArgs, 'id' | 'reason'>>;
  placeOrder?: Resolver<ResolversTypes['PlaceOrderPayload'], ParentType, ContextType, RequireFields<MutationPlaceOrderArgs, 'input'>>;
  replayExceptions?: Resolver<ResolversTypes['ReplayExceptionsPayload'], ParentType, ContextType, RequireFields<MutationReplayExceptionsArgs, 'ids'>>;
  submitEdi?: Resolver<ResolversTypes['SubmitEdiPayload'], ParentType, ContextType, RequireFields<MutationSubmitEdiArgs, 'document'>>;
}>;

export type OrderResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  channel?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  customer?: Resolver<ResolversTypes['Customer'], ParentType, ContextType>;
  externalRef?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['OrderLine']>, ParentType, ContextType>;
  placedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderStatus'], ParentType, ContextType>;
}>;

export type OrderConnectionResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['OrderConnection'] = ResolversParentTypes['OrderConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['OrderEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type OrderEdgeResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['OrderEdge'] = ResolversParentTypes['OrderEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
}>;

export type OrderLineResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['OrderLine'] = ResolversParentTypes['OrderLine'], FederationReferenceType extends FederationReferenceTypes['OrderLine'] = FederationReferenceTypes['OrderLine']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['OrderLine']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lineNumber?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type PlaceOrderPayloadResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['PlaceOrderPayload'] = ResolversParentTypes['PlaceOrderPayload']> = ResolversObject<{
  errors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product']> = ResolversObject<{
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  ediDocuments?: Resolver<ResolversTypes['EdiDocumentConnection'], ParentType, ContextType, RequireFields<QueryEdiDocumentsArgs, 'first'>>;
  exceptions?: Resolver<ResolversTypes['ExceptionConnection'], ParentType, ContextType, RequireFields<QueryExceptionsArgs, 'first'>>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrderArgs, 'id'>>;
  orders?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, RequireFields<QueryOrdersArgs, 'first'>>;
}>;

export type ReplayExceptionsPayloadResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['ReplayExceptionsPayload'] = ResolversParentTypes['ReplayExceptionsPayload']> = ResolversObject<{
  results?: Resolver<Array<ResolversTypes['ExceptionReplayResult']>, ParentType, ContextType>;
}>;

export type SubmitEdiPayloadResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['SubmitEdiPayload'] = ResolversParentTypes['SubmitEdiPayload']> = ResolversObject<{
  errors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
  interchanges?: Resolver<Array<ResolversTypes['EdiInterchangeResult']>, ParentType, ContextType>;
  issues?: Resolver<Array<ResolversTypes['EdiIssue']>, ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  orderStatusChanged?: SubscriptionResolver<ResolversTypes['Order'], "orderStatusChanged", ParentType, ContextType, Partial<SubscriptionOrderStatusChangedArgs>>;
}>;

export type UserErrorResolvers<ContextType = CommerceContext, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  field?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = CommerceContext> = ResolversObject<{
  CancelOrderPayload?: CancelOrderPayloadResolvers<ContextType>;
  Customer?: CustomerResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DiscardExceptionPayload?: DiscardExceptionPayloadResolvers<ContextType>;
  EdiDelivery?: EdiDeliveryResolvers<ContextType>;
  EdiDocument?: EdiDocumentResolvers<ContextType>;
  EdiDocumentConnection?: EdiDocumentConnectionResolvers<ContextType>;
  EdiDocumentEdge?: EdiDocumentEdgeResolvers<ContextType>;
  EdiInterchangeResult?: EdiInterchangeResultResolvers<ContextType>;
  EdiIssue?: EdiIssueResolvers<ContextType>;
  EdiPurchaseOrderResult?: EdiPurchaseOrderResultResolvers<ContextType>;
  ExceptionConnection?: ExceptionConnectionResolvers<ContextType>;
  ExceptionEdge?: ExceptionEdgeResolvers<ContextType>;
  ExceptionReplayResult?: ExceptionReplayResultResolvers<ContextType>;
  ExceptionResolution?: ExceptionResolutionResolvers<ContextType>;
  HubException?: HubExceptionResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  OrderConnection?: OrderConnectionResolvers<ContextType>;
  OrderEdge?: OrderEdgeResolvers<ContextType>;
  OrderLine?: OrderLineResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PlaceOrderPayload?: PlaceOrderPayloadResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ReplayExceptionsPayload?: ReplayExceptionsPayloadResolvers<ContextType>;
  SubmitEdiPayload?: SubmitEdiPayloadResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
}>;

