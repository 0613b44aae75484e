/**
 * Scopes in the schema, enforced by the gateway (CONTRACT.md, Auth).
 *
 * Subgraphs declare `@authenticated` and `@requiresScopes` (Federation 2.5) on types and fields;
 * composition carries them into the supergraph. Stock @apollo/gateway refuses such a supergraph
 * (the specs are linked `for: SECURITY`), so `supergraphForExecution` drops that purpose for the
 * two specs enforced here, and `ScopeEnforcingGateway` reduces every operation before it is
 * planned: a field the token's scopes do not cover is not fetched; it answers null with a
 * FORBIDDEN error at its path (per list item), nulls carried up past non-null fields as GraphQL
 * does, the rest served. A mutation field without its scope never executes.
 *
 * How a requirement applies (the GraphOS Router's semantics):
 * - every field has its own requirement, AND that of the type it returns, wherever the field is
 *   reached from: `Order.customer` needs only orders:read (Order), but `customer { name }` also
 *   needs customers:read (Customer.name), and every Money field needs pricing:read (type Money);
 * - a root type's requirement (`type Query @authenticated`) applies to each of its fields;
 * - on an interface or union, a field needs what it needs on every possible type (composition
 *   propagates implementations' requirements to interface fields the same way).
 */
export { accessOf, accessOfContext, NO_ACCESS, type Access } from './access';
export { applyForbiddenFields, FORBIDDEN, type ForbiddenLevel } from './forbidden-fields';
export { reduceOperation, type OperationReduction } from './operation-reduction';
export { readSchemaRequirements, supergraphForExecution, type Requirement, type SchemaRequirements } from './requirements';
export { completeResult, ScopeEnforcer, type OperationRequest, type ScopedOperation } from './scope-enforcer';
export { ScopeEnforcingGateway, type ScopeEnforcingGatewayOptions } from './scope-enforcing-gateway';
