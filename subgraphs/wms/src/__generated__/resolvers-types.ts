import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Warehouse as WarehouseModel, InventoryPosition as InventoryPositionModel, Allocation as AllocationModel } from '@crossdock/model';
import type { AtpResult as AtpResultModel, AtpSource as AtpSourceModel } from '../atp';
import type { ProductRef as ProductRefModel, OrderRef as OrderRefModel } from '../entity-refs';
import type { ChannelAvailabilityRow as ChannelAvailabilityRowModel } from '../channel-availability';
import type { ResyncCheckpoint as ResyncCheckpointModel } from '@crossdock/availability';
import type { WmsContext } from '../context';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
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

export type Allocation = {
  __typename?: 'Allocation';
  quantity: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
  warehouse: Warehouse;
};

export type AtpResult = {
  __typename?: 'AtpResult';
  available: Scalars['Int']['output'];
  promisable: Scalars['Boolean']['output'];
  requested: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
  /** Where the requested quantity would ship from, by warehouse priority. */
  sources: Array<AtpSource>;
};

export type AtpSource = {
  __typename?: 'AtpSource';
  quantity: Scalars['Int']['output'];
  warehouse: Warehouse;
};

/** Where a full resync of a channel stands. */
export type AvailabilityResync = {
  __typename?: 'AvailabilityResync';
  channel: Scalars['String']['output'];
  /** SKUs the channel acknowledged so far in this run. */
  done: Scalars['Int']['output'];
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  requestedBy: Scalars['String']['output'];
  runId: Scalars['ID']['output'];
  /** SKUs in the run. */
  skus: Scalars['Int']['output'];
  startedAt: Scalars['DateTime']['output'];
};

/** What one sales channel may sell of a product at one location, against what it was last told. */
export type ChannelAvailability = {
  __typename?: 'ChannelAvailability';
  /** The figure the channel last acknowledged; null before the first push. */
  acknowledged?: Maybe<Scalars['Int']['output']>;
  acknowledgedAt?: Maybe<Scalars['DateTime']['output']>;
  channel: Scalars['String']['output'];
  /** True while the channel shows something else than `quantity` (a push waits, or the channel is down or refused it). */
  drifting: Scalars['Boolean']['output'];
  /** What the channel may sell now. */
  quantity: Scalars['Int']['output'];
  /** The warehouse (store location) of this figure; null when the channel gets one figure for all its warehouses. */
  warehouse?: Maybe<Warehouse>;
};

export type FulfillmentStatus =
  | 'ALLOCATED'
  | 'PACKED'
  | 'PARTIALLY_SHIPPED'
  | 'PICKING'
  | 'SHIPPED'
  | 'UNALLOCATED';

export type InventoryPosition = {
  __typename?: 'InventoryPosition';
  /** on hand - reserved - safety stock, never below 0. */
  available: Scalars['Int']['output'];
  onHand: Scalars['Int']['output'];
  product: Product;
  reserved: Scalars['Int']['output'];
  safetyStock: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
  updatedAt: Scalars['DateTime']['output'];
  warehouse: Warehouse;
};

/** Operators' actions on the available-to-sell feeds. */
export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Starts a full resync of a channel's available-to-sell figures: every SKU sent again in chunks
   * within the channel's API limits, resumable after a crash. Answers once the run's first
   * checkpoint is saved; joining a run under way answers that run.
   */
  resyncChannelAvailability: AvailabilityResync;
};


/** Operators' actions on the available-to-sell feeds. */
export type MutationResyncChannelAvailabilityArgs = {
  channel: Scalars['String']['input'];
};

export type Order = {
  __typename?: 'Order';
  allocations: Array<Allocation>;
  fulfillmentStatus: FulfillmentStatus;
  id: Scalars['ID']['output'];
};

export type Product = {
  __typename?: 'Product';
  /** Sum of available over all warehouses. */
  available: Scalars['Int']['output'];
  /**
   * What a sales channel may sell of this product (available-to-sell): ATP of the warehouses that
   * serve the channel under its allocation rules (share, buffer, cap, floor), one row per location
   * the channel is told about, with what the channel last acknowledged. A `channel` token sees only
   * its own channel (another channel answers an empty list); a channel without rules answers empty.
   */
  availableToSell: Array<ChannelAvailability>;
  /** Stock of this product in every warehouse that carries it. */
  inventory: Array<InventoryPosition>;
  sku: Scalars['ID']['output'];
};


export type ProductAvailableToSellArgs = {
  channel: Scalars['String']['input'];
};

/**
 * The WMS subgraph: warehouses, stock positions, available-to-promise, and how far each order got
 * in the warehouse. The WMS is the system of record for on-hand stock.
 */
export type Query = {
  __typename?: 'Query';
  availableToPromise: AtpResult;
  inventory: Array<InventoryPosition>;
  warehouses: Array<Warehouse>;
};


/**
 * The WMS subgraph: warehouses, stock positions, available-to-promise, and how far each order got
 * in the warehouse. The WMS is the system of record for on-hand stock.
 */
export type QueryAvailableToPromiseArgs = {
  quantity: Scalars['Int']['input'];
  sku: Scalars['ID']['input'];
};


/**
 * The WMS subgraph: warehouses, stock positions, available-to-promise, and how far each order got
 * in the warehouse. The WMS is the system of record for on-hand stock.
 */
export type QueryInventoryArgs = {
  sku: Scalars['ID']['input'];
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
   * A stock position changed in the WMS (receipt, count, reservation, release). Null filters mean
   * every SKU and every warehouse. A subscriber never receives a position older than one it already
   * received for the same SKU and warehouse (when the WMS numbers its movements).
   */
  inventoryChanged: InventoryPosition;
};


/**
 * Live events over graphql-ws. Each `next` message carries the event's cursor in
 * `extensions.cursor`; subscribing again with `after: <cursor>` first replays what came after it
 * (within the stream's retention, else the error CURSOR_EXPIRED), then goes live, without gaps or
 * duplicates.
 */
export type SubscriptionInventoryChangedArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  skus?: InputMaybe<Array<Scalars['ID']['input']>>;
  warehouseIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type Warehouse = {
  __typename?: 'Warehouse';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  region: Scalars['String']['output'];
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
  Order: Order;
  Product: Product;
  Warehouse: Warehouse;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"id":true}> );
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"sku":true}> );
  Warehouse:
    ( { __typename: 'Warehouse' }
    & GraphQLRecursivePick<FederationTypes['Warehouse'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Allocation: ResolverTypeWrapper<AllocationModel>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AtpResult: ResolverTypeWrapper<AtpResultModel>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  AtpSource: ResolverTypeWrapper<AtpSourceModel>;
  AvailabilityResync: ResolverTypeWrapper<ResyncCheckpointModel>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ChannelAvailability: ResolverTypeWrapper<ChannelAvailabilityRowModel>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  FulfillmentStatus: FulfillmentStatus;
  InventoryPosition: ResolverTypeWrapper<InventoryPositionModel>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Order: ResolverTypeWrapper<OrderRefModel>;
  Product: ResolverTypeWrapper<ProductRefModel>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Warehouse: ResolverTypeWrapper<WarehouseModel>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Allocation: AllocationModel;
  Int: Scalars['Int']['output'];
  ID: Scalars['ID']['output'];
  AtpResult: AtpResultModel;
  Boolean: Scalars['Boolean']['output'];
  AtpSource: AtpSourceModel;
  AvailabilityResync: ResyncCheckpointModel;
  String: Scalars['String']['output'];
  ChannelAvailability: ChannelAvailabilityRowModel;
  DateTime: Scalars['DateTime']['output'];
  InventoryPosition: InventoryPositionModel;
  Mutation: Record<PropertyKey, never>;
  Order: OrderRefModel;
  Product: ProductRefModel;
  Query: Record<PropertyKey, never>;
  Subscription: Record<PropertyKey, never>;
  Warehouse: WarehouseModel;
}>;

export type AllocationResolvers<ContextType = WmsContext, ParentType extends ResolversParentTypes['Allocation'] = ResolversParentTypes['Allocation']> = ResolversObject<{
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  warehouse?: Resolver<ResolversTypes['Warehouse'], ParentType, ContextType>;
}>;

export type AtpResultResolvers<ContextType = WmsContext, ParentType extends ResolversParentTypes['AtpResult'] = ResolversParentTypes['AtpResult']> = ResolversObject<{
  available?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  promisable?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  requested?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  sources?: Resolver<Array<ResolversTypes['AtpSource']>, ParentType, ContextType>;
}>;

export type AtpSourceResolvers<ContextType = WmsContext, ParentType extends ResolversParentTypes['AtpSource'] = ResolversParentTypes['AtpSource']> = ResolversObject<{
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  warehouse?: Resolver<ResolversTypes['Warehouse'], ParentType, ContextType>;
}>;

export type AvailabilityResyncResolvers<ContextType = WmsContext, ParentType extends ResolversParentTypes['AvailabilityResync'] = ResolversParentTypes['AvailabilityResync']> = ResolversObject<{
  channel?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  done?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  requestedBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  runId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  skus?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  startedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type ChannelAvailabilityResolvers<ContextType = WmsContext, ParentType extends ResolversParentTypes['ChannelAvailability'] = ResolversParentTypes['ChannelAvailability']> = ResolversObject<{
  acknowledged?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  acknowledgedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  channel?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  drifting?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  warehouse?: Resolver<Maybe<ResolversTypes['Warehouse']>, ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type InventoryPositionResolvers<ContextType = WmsContext, ParentType extends ResolversParentTypes['InventoryPosition'] = ResolversParentTypes['InventoryPosition']> = ResolversObject<{
  available?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  onHand?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  reserved?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  safetyStock?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  warehouse?: Resolver<ResolversTypes['Warehouse'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = WmsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  resyncChannelAvailability?: Resolver<ResolversTypes['AvailabilityResync'], ParentType, ContextType, RequireFields<MutationResyncChannelAvailabilityArgs, 'channel'>>;
}>;

export type OrderResolvers<ContextType = WmsContext, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  allocations?: Resolver<Array<ResolversTypes['Allocation']>, ParentType, ContextType>;
  fulfillmentStatus?: Resolver<ResolversTypes['FulfillmentStatus'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = WmsContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  available?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  availableToSell?: Resolver<Array<ResolversTypes['ChannelAvailability']>, ParentType, ContextType, RequireFields<ProductAvailableToSellArgs, 'channel'>>;
  inventory?: Resolver<Array<ResolversTypes['InventoryPosition']>, ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = WmsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  availableToPromise?: Resolver<ResolversTypes['AtpResult'], ParentType, ContextType, RequireFields<QueryAvailableToPromiseArgs, 'quantity' | 'sku'>>;
  inventory?: Resolver<Array<ResolversTypes['InventoryPosition']>, ParentType, ContextType, RequireFields<QueryInventoryArgs, 'sku'>>;
  warehouses?: Resolver<Array<ResolversTypes['Warehouse']>, ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = WmsContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  inventoryChanged?: SubscriptionResolver<ResolversTypes['InventoryPosition'], "inventoryChanged", ParentType, ContextType, Partial<SubscriptionInventoryChangedArgs>>;
}>;

export type WarehouseResolvers<ContextType = WmsContext, ParentType extends ResolversParentTypes['Warehouse'] = ResolversParentTypes['Warehouse'], FederationReferenceType extends FederationReferenceTypes['Warehouse'] = FederationReferenceTypes['Warehouse']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Warehouse']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  region?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = WmsContext> = ResolversObject<{
  Allocation?: AllocationResolvers<ContextType>;
  AtpResult?: AtpResultResolvers<ContextType>;
  AtpSource?: AtpSourceResolvers<ContextType>;
  AvailabilityResync?: AvailabilityResyncResolvers<ContextType>;
  ChannelAvailability?: ChannelAvailabilityResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  InventoryPosition?: InventoryPositionResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Warehouse?: WarehouseResolvers<ContextType>;
}>;

