import { Kind, parse, type ConstArgumentNode, type ConstDirectiveNode, type DocumentNode } from 'graphql';

/**
 * One `@requiresScopes(scopes:)` argument: the token needs every scope of at least one inner list
 * (`[["a", "b"], ["c"]]` = a and b, or c).
 */
export type ScopeAlternatives = readonly (readonly string[])[];

/** What selecting a type or field needs. Every part must be met: `@authenticated`, and each `@requiresScopes`. */
export interface Requirement {
  authenticated: boolean;
  scopes: readonly ScopeAlternatives[];
}

/** The `@authenticated` / `@requiresScopes` requirements of one supergraph, by type and by field coordinate. */
export interface SchemaRequirements {
  type(typeName: string): Requirement | undefined;
  field(typeName: string, fieldName: string): Requirement | undefined;
  /** Every scope some requirement names; a token's other scopes never change a decision. */
  readonly scopes: ReadonlySet<string>;
  /** True when nothing in the schema has a requirement: every operation passes unchanged. */
  readonly empty: boolean;
}

/**
 * The access-control features this gateway enforces, by spec identity and the versions it
 * understands. A supergraph linking another version is refused rather than half-enforced.
 */
const ENFORCED_FEATURES: ReadonlyMap<string, readonly string[]> = new Map([
  ['https://specs.apollo.dev/authenticated', ['v0.1']],
  ['https://specs.apollo.dev/requiresScopes', ['v0.1']],
]);

interface LinkedFeature {
  identity: string;
  version: string;
  /** The directive's name in this schema (`as:` renames it). */
  directiveName: string;
  /** The `for:` argument, when the link declares a purpose. */
  purpose: ConstArgumentNode | undefined;
  /** The arguments written around `for:`, to cut `, for: SECURITY` out of the source exactly. */
  argumentBeforePurpose: ConstArgumentNode | undefined;
  argumentAfterPurpose: ConstArgumentNode | undefined;
}

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const argument = directive.arguments?.find((a) => a.name.value === name);
  return argument?.value.kind === Kind.STRING ? argument.value.value : undefined;
}

/** The enforced features the supergraph links with `@link` on its schema definition. */
function linkedFeatures(document: DocumentNode): LinkedFeature[] {
  const features: LinkedFeature[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'link') continue;
      const url = stringArgument(directive, 'url');
      const match = url === undefined ? null : /^(.*)\/(v\d+\.\d+)$/.exec(url);
      if (!match?.[1] || !match[2] || !ENFORCED_FEATURES.has(match[1])) continue;
      const [, identity, version] = match;
      if (!ENFORCED_FEATURES.get(identity)?.includes(version)) {
        throw new Error(`the supergraph links ${url}; this gateway enforces only ${identity}/${ENFORCED_FEATURES.get(identity)?.join(', ')} and refuses to serve access rules it cannot read`);
      }
      const args = directive.arguments ?? [];
      const purposeIndex = args.findIndex((a) => a.name.value === 'for');
      features.push({
        identity,
        version,
        directiveName: stringArgument(directive, 'as') ?? identity.slice(identity.lastIndexOf('/') + 1),
        purpose: args[purposeIndex],
        argumentBeforePurpose: purposeIndex > 0 ? args[purposeIndex - 1] : undefined,
        argumentAfterPurpose: purposeIndex >= 0 ? args[purposeIndex + 1] : undefined,
      });
    }
  }
  return features;
}

/**
 * The supergraph as handed to @apollo/gateway. Composition links `@authenticated` and
 * `@requiresScopes` `for: SECURITY`, which tells every consumer that does not enforce them to refuse
 * the schema, and @apollo/gateway does refuse it. This gateway enforces exactly these features
 * (see ScopeEnforcingGateway), so it drops their `for:` purpose and nothing else: any other
 * security feature (e.g. `@policy`) keeps its purpose and still stops the gateway from starting.
 */
export function supergraphForExecution(supergraphSdl: string): string {
  const cuts: { start: number; end: number }[] = [];
  for (const feature of linkedFeatures(parse(supergraphSdl))) {
    const purpose = feature.purpose?.loc;
    const before = feature.argumentBeforePurpose?.loc;
    const after = feature.argumentAfterPurpose?.loc;
    if (purpose && before) cuts.push({ start: before.end, end: purpose.end });
    else if (purpose && after) cuts.push({ start: purpose.start, end: after.start });
  }
  let sdl = supergraphSdl;
  for (const cut of cuts.sort((a, b) => b.start - a.start)) sdl = sdl.slice(0, cut.start) + sdl.slice(cut.end);
  return sdl;
}

function readScopes(directive: ConstDirectiveNode): ScopeAlternatives {
  const argument = directive.arguments?.find((a) => a.name.value === 'scopes');
  if (argument?.value.kind !== Kind.LIST) throw new Error(`@${directive.name.value} without a scopes list`);
  return argument.value.values.map((inner) => {
    if (inner.kind !== Kind.LIST) throw new Error(`@${directive.name.value}: scopes must be a list of lists`);
    return inner.values.map((scope) => {
      if (scope.kind !== Kind.STRING) throw new Error(`@${directive.name.value}: every scope must be a string`);
      return scope.value;
    });
  });
}

/**
 * Reads the requirements from a supergraph SDL (as composed: `@link`ed authenticated and
 * requiresScopes specs, directives on objects, interfaces, scalars, enums and fields). A
 * supergraph that links neither has no requirements.
 */
export function readSchemaRequirements(supergraphSdl: string): SchemaRequirements {
  const document = parse(supergraphSdl);
  const features = linkedFeatures(document);
  const authenticatedName = features.find((f) => f.identity.endsWith('/authenticated'))?.directiveName;
  const scopesName = features.find((f) => f.identity.endsWith('/requiresScopes'))?.directiveName;
  const types = new Map<string, Requirement>();
  const fields = new Map<string, Requirement>();
  const scopes = new Set<string>();

  const requirementOf = (directives: readonly ConstDirectiveNode[] | undefined): Requirement | undefined => {
    let authenticated = false;
    const required: ScopeAlternatives[] = [];
    for (const directive of directives ?? []) {
      if (directive.name.value === authenticatedName) authenticated = true;
      if (directive.name.value === scopesName) required.push(readScopes(directive));
    }
    for (const scope of required.flat(2)) scopes.add(scope);
    return authenticated || required.length > 0 ? { authenticated, scopes: required } : undefined;
  };
  // Type extensions carry directives too; several declarations of one name merge (AND).
  const merge = (map: Map<string, Requirement>, key: string, requirement: Requirement | undefined) => {
    if (!requirement) return;
    const known = map.get(key);
    map.set(key, known ? { authenticated: known.authenticated || requirement.authenticated, scopes: [...known.scopes, ...requirement.scopes] } : requirement);
  };

  for (const definition of document.definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        merge(types, definition.name.value, requirementOf(definition.directives));
        for (const field of definition.fields ?? []) {
          merge(fields, `${definition.name.value}.${field.name.value}`, requirementOf(field.directives));
        }
        break;
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.SCALAR_TYPE_EXTENSION:
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION:
        merge(types, definition.name.value, requirementOf(definition.directives));
        break;
      default:
        break;
    }
  }
  return {
    type: (typeName) => types.get(typeName),
    field: (typeName, fieldName) => fields.get(`${typeName}.${fieldName}`),
    scopes,
    empty: types.size === 0 && fields.size === 0,
  };
}
