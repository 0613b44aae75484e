import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Warehouse as WarehouseModel, InventoryPosition as InventoryPositionModel, Allocation as AllocationModel } from '@crossdock/model';
import type { AtpResult as AtpResultModel, AtpSource as AtpSourceModel } from '../atp';
import type { ProductRef as ProductRefModel, OrderRef as OrderRefModel } from '../entity-refs';
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
  /** Stock of this product in every warehouse that carries it. */
  inventory: Array<InventoryPosition>;
  sku: Scalars['ID']['output'];
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
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  FulfillmentStatus: FulfillmentStatus;
  InventoryPosition: ResolverTypeWrapper<InventoryPositionModel>;
  Order: ResolverTypeWrapper<OrderRefModel>;
  Product: ResolverTypeWrapper<ProductRefModel>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Warehouse: ResolverTypeWrapper<WarehouseModel>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Allocation: AllocationModel;
  Int: Scalars['Int']['output'];
  ID: Scalars['ID']['output'];
  AtpResult: AtpResultModel;
  Boolean: Scalars['Boolean']['output'];
  AtpSource: AtpSourceModel;
  DateTime: Scalars['DateTime']['output'];
  InventoryPosition: InventoryPositionModel;
  Order: OrderRefModel;
  Product: ProductRefModel;
  Query: Record<PropertyKey, never>;
  Warehouse: WarehouseModel;
  String: Scalars['String']['output'];
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

export type OrderResolvers<ContextType = WmsContext, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  allocations?: Resolver<Array<ResolversTypes['Allocation']>, ParentType, ContextType>;
  fulfillmentStatus?: Resolver<ResolversTypes['FulfillmentStatus'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = WmsContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  available?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  inventory?: Resolver<Array<ResolversTypes['InventoryPosition']>, ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = WmsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  availableToPromise?: Resolver<ResolversTypes['AtpResult'], ParentType, ContextType, RequireFields<QueryAvailableToPromiseArgs, 'quantity' | 'sku'>>;
  inventory?: Resolver<Array<ResolversTypes['InventoryPosition']>, ParentType, ContextType, RequireFields<QueryInventoryArgs, 'sku'>>;
  warehouses?: Resolver<Array<ResolversTypes['Warehouse']>, ParentType, ContextType>;
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
  DateTime?: GraphQLScalarType;
  InventoryPosition?: InventoryPositionResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Warehouse?: WarehouseResolvers<ContextType>;
}>;

