// Requests for the GraphQL fuzz suite, made from api/schema.graphql alone: every field of Query,
// Mutation and Subscription (and every Organization field that takes arguments, reached through
// `organization(id:)`), with a small selection of leaves and arguments drawn from a seeded PRNG,
// from valid to hostile. A new operation in the schema is fuzzed without anyone listing it.
import { readFileSync } from 'node:fs';
import {
  buildSchema,
  Kind,
  parse,
  valueFromASTUntyped,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

export const schemaPath = new URL('../../schema.graphql', import.meta.url);

export function loadSchema(): GraphQLSchema {
  return buildSchema(readFileSync(schemaPath, 'utf8'));
}

/** mulberry32: a tiny, fast, seeded PRNG (32-bit state), enough to make every run repeatable. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from nothing');
    return items[this.int(items.length)]!;
  }
}

/** The seed of request `index` in a run seeded `seed`: any single request can be made again alone. */
export function requestSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

export type OperationKind = 'query' | 'mutation' | 'subscription';

export interface EntryPoint {
  /** `createPost`, `node`, `organization.posts`, `postChanged`... */
  name: string;
  kind: OperationKind;
  field: GraphQLField<unknown, unknown>;
  /** Reached through `organization(id: $organizationId)`. */
  viaOrganization: boolean;
}

export function entryPoints(schema: GraphQLSchema): EntryPoint[] {
  const entries: EntryPoint[] = [];
  const roots: Array<[OperationKind, GraphQLObjectType | null | undefined]> = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ];
  for (const [kind, root] of roots) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      entries.push({ name: field.name, kind, field, viaOrganization: false });
    }
  }
  const organization = schema.getType('Organization');
  if (isObjectType(organization)) {
    for (const field of Object.values(organization.getFields())) {
      if (field.args.length === 0) continue;
      entries.push({ name: `organization.${field.name}`, kind: 'query', field, viaOrganization: true });
    }
  }
  return entries;
}

/** Ids of existing objects by GraphQL type name, for the caller's organization and for another one. */
export interface IdPools {
  own: Map<string, string[]>;
  foreign: Map<string, string[]>;
  ownOrganization: string;
  /**
   * Values the api itself gave the caller's organization, by the name of the field that held
   * them (`email`, `state`, `cursor`, `webhookEventTypes`...) and the tokens it mailed (`token`):
   * a valid value for an argument of the same name (see `harvestedNames`).
   */
  seen?: Map<string, unknown[]>;
}

/** A file for a `File` argument: sent as a multipart upload (a small PNG) in place of the variable. */
export const fileMarker = '\u0000fuzz-file\u0000';

/**
 * Naming hints, the only per-name knowledge the generator has. An argument or input field whose
 * name matches takes its valid value from here (a String unless said); everything else is
 * derived from its type. Add a line when a new kind of value needs a format the type cannot say.
 */
const stringHints: Array<[RegExp, (random: Random) => string]> = [
  [/colou?r$/i, (random) => random.pick(['#1a6b3c', '#ffffff', '#0A0B0C'])],
  [/^slug$/, (random) => `fuzz-${random.int(1e9)}`],
  // Days of a report (YYYY-MM-DD): `from` a month ago, `to` yesterday.
  [/^from$|^since$|^start(Date|Day)$/, () => day(-30)],
  [/^to$|^until$|^end(Date|Day)$/, () => day(-1)],
  [/chatId$/i, () => '@fuzzchannel'],
  [/domain$/i, (random) => `fuzz${random.int(1e6)}.example.com`],
  [/^contact$|email/i, (random) => `fuzz-${random.int(1e9)}@example.test`],
  [/budget|amount/i, (random) => random.pick(['25.00', '100', '9.99'])],
  [/url$/i, () => 'https://203.0.113.10/hook'],
  [/password/i, () => 'correct horse battery staple'],
  [/timezone/i, () => 'Europe/Berlin'],
  [/fontFamily/i, (random) => random.pick(['Inter', 'Georgia'])],
];

/** Argument names whose valid values are what the api answered under another field name. */
const harvestedNames: Record<string, string> = { events: 'webhookEventTypes' };

function day(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** What was drawn for one argument (for the report and for shrinking). */
export type ValueClass =
  | 'valid'
  | 'null'
  | 'wrong-type'
  | 'number-edge'
  | 'huge-string'
  | 'unicode-edge'
  | 'malformed-id'
  | 'foreign-id'
  | 'deep'
  | 'huge-list'
  | 'unknown-field';

export interface FuzzRequest {
  entry: string;
  kind: OperationKind;
  document: string;
  variables: Record<string, unknown>;
  /** Every argument's value by variable name, whether sent as a variable or written inline. */
  values: Record<string, unknown>;
  /** The same request with every argument valid: shrinking swaps hostile values for these. */
  validVariables: Record<string, unknown>;
  classes: Record<string, ValueClass>;
  /** Values written into the document rather than sent as variables. */
  inline: string[];
}

const base64url = (text: string) => Buffer.from(text).toString('base64url');

const unicodeEdges = [
  '\uD800',
  'tail \uDFFF',
  'a\u0000b',
  '\u0000',
  '\u202Eevil\u202C',
  'zero\u200Bwidth\u200D',
  '\uFEFFbom',
  '\uFFFF\uFFFE',
  'e\u0301'.repeat(2_000),
  '𝕏'.repeat(5_000),
  '👩‍👩‍👧‍👦'.repeat(500),
  'ﷺ'.repeat(1_000),
  '\r\n\t\u000b\u001b[31m',
  '\'; DROP TABLE "Post"; --',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '%s%n%x',
  '../../../../etc/passwd',
  '\\',
  ' ',
  '',
];

const hugeStrings = [10_001, 100_000, 200_000, 1_048_576];

function malformedIds(random: Random, pools: IdPools): string[] {
  const ownAny = [...pools.own.values()].flat();
  return [
    '',
    ' ',
    'not-an-id!',
    base64url('justtext'),
    base64url('Post:'),
    base64url(':abc'),
    base64url(`Post:${'x'.repeat(500)}`),
    'A'.repeat(10_000),
    base64url('Post:\u0000'),
    base64url("Post:' OR '1'='1"),
    base64url('Nope:123'),
    base64url('Post:-1'),
    base64url('Post:9999999999999999999999999'),
    base64url('Organization:../../x'),
    '1',
    '\uD800',
    // A real id of one type where another is expected.
    ownAny.length ? random.pick(ownAny) : base64url('Brand:x'),
  ];
}

function deepObject(depth: number): unknown {
  let value: unknown = { leaf: 1 };
  for (let i = 0; i < depth; i++) value = { nested: value };
  return value;
}

function deepList(depth: number): unknown {
  let value: unknown = [1];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

function capitalize(name: string) {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * Which object type an ID argument names: `brandId` a Brand, `mediaAssetIds` MediaAssets; `id`
 * of `deletePost` a Post, of `updateKnowledgeDocument` a BrandKnowledgeDocument (the type that
 * ends with the most words of the field after its verb).
 */
function idTypeFor(argName: string, fieldName: string, pools: IdPools): string | undefined {
  const types = [...pools.own.keys()];
  const ending = (wanted: string) =>
    pools.own.has(wanted)
      ? wanted
      : types.filter((type) => type.endsWith(wanted)).sort((a, b) => a.length - b.length)[0];
  const fromArg = /^(.*)Ids?$/.exec(argName)?.[1];
  if (fromArg) {
    const found = ending(capitalize(fromArg));
    if (found) return found;
  }
  const words = capitalize(fieldName).match(/[A-Z][a-z0-9]*/g) ?? [];
  for (let start = 1; start < words.length; start++) {
    const found = ending(words.slice(start).join(''));
    if (found) return found;
  }
  const field = capitalize(fieldName);
  return types.filter((type) => field.includes(type)).sort((a, b) => b.length - a.length)[0];
}

interface ArgContext {
  random: Random;
  pools: IdPools;
  fieldName: string;
  argName: string;
}

function pickId(context: ArgContext, foreign: boolean): string {
  const type = idTypeFor(context.argName, context.fieldName, context.pools);
  const pool = foreign ? context.pools.foreign : context.pools.own;
  const ofType = type ? pool.get(type) : undefined;
  if (ofType?.length) return context.random.pick(ofType);
  const any = [...pool.values()].flat();
  return any.length ? context.random.pick(any) : base64url('Post:none');
}

function validScalar(name: string, context: ArgContext): unknown {
  const { random, argName } = context;
  const seen = context.pools.seen?.get(harvestedNames[argName] ?? argName);
  if (name !== 'ID' && seen?.length && random.chance(0.6)) {
    const value = random.pick(seen);
    // A list the api answered (`webhookEventTypes`) gives one of its items.
    return Array.isArray(value) ? random.pick(value as unknown[]) : value;
  }
  switch (name) {
    case 'ID':
      if (argName === 'organizationId' || (argName === 'id' && context.fieldName === 'organization')) {
        return context.pools.ownOrganization;
      }
      return pickId(context, false);
    case 'Int':
      // A count goes with lists of one or two (a batch's `formats` must be as many as its `count`).
      if (/count$/i.test(argName)) return 1 + random.int(2);
      return /first|last|limit/i.test(argName) ? 1 + random.int(5) : random.int(3);
    case 'Float':
      return random.pick([0, 1.5, 10]);
    case 'Boolean':
      return random.chance(0.5);
    case 'DateTime':
      return new Date(Date.now() + (1 + random.int(10)) * 86_400_000).toISOString();
    case 'BigInt':
      return String(1 + random.int(1000));
    case 'File':
      // Sent as a multipart upload (the harness swaps the marker for a file).
      return fileMarker;
    case 'String':
    default: {
      const hint = stringHints.find(([pattern]) => pattern.test(argName));
      if (hint) return hint[1](random);
      return random.pick(['fuzz', 'Fuzzed text', 'a']);
    }
  }
}

export function validValue(type: GraphQLInputType, context: ArgContext, depth = 0): unknown {
  const { random } = context;
  if (!isNonNullType(type) && random.chance(0.15)) return null;
  const inner = getNullableType(type);
  if (isListType(inner)) {
    const count = random.chance(0.7) ? 1 : 2;
    return Array.from({ length: count }, () => validValue(inner.ofType, context, depth + 1));
  }
  if (isEnumType(inner)) return random.pick(inner.getValues()).name;
  if (isInputObjectType(inner)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(inner.getFields())) {
      if (isNonNullType(field.type) || (depth < 3 && random.chance(0.5))) {
        value[field.name] = validValue(field.type, { ...context, argName: field.name }, depth + 1);
      }
    }
    return value;
  }
  if (isScalarType(inner)) return validScalar(inner.name, context);
  return null;
}

/** The hostile classes that make sense for an argument of `type`. */
function hostileClasses(type: GraphQLInputType): ValueClass[] {
  const named = getNamedType(type);
  const classes: ValueClass[] = ['null', 'wrong-type', 'deep'];
  if (isListType(getNullableType(type))) classes.push('huge-list');
  if (isInputObjectType(named)) classes.push('unknown-field');
  if (isScalarType(named)) {
    if (named.name === 'ID') classes.push('malformed-id', 'malformed-id', 'foreign-id', 'foreign-id', 'unicode-edge');
    if (named.name === 'String' || named.name === 'DateTime' || named.name === 'BigInt') {
      classes.push('huge-string', 'unicode-edge', 'unicode-edge');
    }
    if (named.name === 'Int' || named.name === 'Float' || named.name === 'BigInt' || named.name === 'DateTime') {
      classes.push('number-edge', 'number-edge');
    }
  }
  return classes;
}

function hostileValue(kind: ValueClass, type: GraphQLInputType, context: ArgContext): unknown {
  const { random } = context;
  const named = getNamedType(type);
  const list = isListType(getNullableType(type));
  const wrap = (value: unknown) => (list && random.chance(0.7) ? [value] : value);
  switch (kind) {
    case 'null':
      return null;
    case 'wrong-type': {
      const options: unknown[] = [{ a: 1 }, [1, 2], true, 1.5, 42, 'text', -0];
      return wrap(random.pick(options));
    }
    case 'number-edge':
      if (named.name === 'DateTime') {
        return random.pick(['0000-00-00T00:00:00Z', '275760-09-13T00:00:00.001Z', '1969-12-31T23:59:59Z', 'NaN', -1]);
      }
      if (named.name === 'BigInt') {
        return random.pick(['-1', '99999999999999999999999999', '1e3', 'NaN', '0x10', 2 ** 53 + 1]);
      }
      return wrap(
        random.pick<unknown>([
          2 ** 31,
          -(2 ** 31) - 1,
          2 ** 31 - 1,
          -(2 ** 31),
          -1,
          0,
          Number.MAX_SAFE_INTEGER,
          1e308,
          -1e308,
          5e-324,
          1.5,
          'NaN',
          'Infinity',
          '-Infinity',
          '1e400',
        ]),
      );
    case 'huge-string':
      return wrap(random.pick(['x', 'é', '\u202E']).repeat(random.pick(hugeStrings)));
    case 'unicode-edge':
      return wrap(random.pick(unicodeEdges));
    case 'malformed-id':
      return wrap(random.pick(malformedIds(random, context.pools)));
    case 'foreign-id':
      return wrap(pickId(context, true));
    case 'deep':
      return random.chance(0.5) ? deepObject(random.pick([50, 500])) : deepList(random.pick([50, 500]));
    case 'huge-list': {
      const listType = getNullableType(type);
      const elementType = isListType(listType) ? listType.ofType : type;
      const element = validValue(elementType, context, 1);
      return Array.from({ length: random.pick([1_000, 10_000]) }, () => element);
    }
    case 'unknown-field': {
      const valid: unknown = validValue(type, context, 1);
      const object: unknown = (Array.isArray(valid) ? valid[0] : valid) ?? {};
      const hostile: Record<string, unknown> = { ...(object as object), constructor: 'x', unknownField: 1 };
      // An own `__proto__` key, as JSON.parse makes one (a literal would set the prototype instead).
      Object.defineProperty(hostile, '__proto__', { value: { polluted: true }, enumerable: true, writable: true });
      return wrap(hostile);
    }
    case 'valid':
      return validValue(type, context);
  }
}

/** A GraphQL literal for `value`, or undefined when it has none (NaN, huge, undefined). */
function literal(value: unknown, type: GraphQLInputType): string | undefined {
  const named = getNamedType(type);
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') {
    if (value.length > 5_000) return undefined;
    if (isEnumType(named) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) return value;
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    if (value.length > 50) return undefined;
    const items = value.map((item) => literal(item, type));
    return items.every((item) => item !== undefined) ? `[${items.join(', ')}]` : undefined;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    const parts = entries.map(([key, item]) => {
      const fieldType = isInputObjectType(named) ? named.getFields()[key]?.type : undefined;
      const printed = literal(item, fieldType ?? type);
      return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && printed !== undefined ? `${key}: ${printed}` : undefined;
    });
    return parts.every((part) => part !== undefined) && parts.length < 50 ? `{${parts.join(', ')}}` : undefined;
  }
  return undefined;
}

const preferredLeaves = ['id', 'name', 'title', 'caption', 'email', 'code', 'message', 'status', 'state', 'slug'];

/** A small selection of leaves (and a little below them), `__typename` where nothing else fits. */
export function selectionFor(type: GraphQLOutputType, schema: GraphQLSchema, depth = 0): string {
  const named = getNamedType(type) as GraphQLNamedType;
  if (isLeafType(named)) return '';
  if (isUnionType(named) || isInterfaceType(named)) {
    const possible = schema.getPossibleTypes(named);
    // Fields of one name but different types in two fragments may not merge: the later ones get an alias.
    const types = new Map<string, string>();
    const fragments = possible
      .slice(0, 40)
      .map((member) => {
        const inner = objectSelection(member, schema, depth + 1, possible.length > 8, types);
        return inner ? `... on ${member.name} ${inner}` : '';
      })
      .filter(Boolean);
    return `{ __typename ${fragments.join(' ')} }`;
  }
  if (isObjectType(named)) return objectSelection(named, schema, depth, false) || '{ __typename }';
  return '';
}

function objectSelection(
  type: GraphQLObjectType,
  schema: GraphQLSchema,
  depth: number,
  leavesOnly: boolean,
  types?: Map<string, string>,
): string {
  const named = (field: GraphQLField<unknown, unknown>) => {
    const typeName = String(field.type);
    if (!types) return field.name;
    const before = types.get(field.name);
    if (before === undefined) types.set(field.name, typeName);
    return before === undefined || before === typeName ? field.name : `${type.name}_${field.name}: ${field.name}`;
  };
  const fields = Object.values(type.getFields()).filter((field) =>
    field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined),
  );
  const leaves = fields
    .filter((field) => isLeafType(getNamedType(field.type)))
    .sort((a, b) => rank(a.name) - rank(b.name))
    .slice(0, 6)
    .map(named);
  const parts = [...leaves];
  if (!leavesOnly && depth < 3) {
    const objects = fields
      .filter((field) => !isLeafType(getNamedType(field.type)))
      .sort(
        (a, b) => rank(a.name, ['data', 'edges', 'node', 'issues']) - rank(b.name, ['data', 'edges', 'node', 'issues']),
      )
      .slice(0, depth === 0 ? 3 : 1);
    for (const field of objects) {
      const inner = selectionFor(field.type, schema, depth + 1);
      // Connections are priced by their page: ask for a small one.
      const paged = field.args.some((arg) => arg.name === 'first') ? '(first: 3)' : '';
      if (inner) parts.push(`${named(field)}${paged} ${inner}`);
    }
  }
  return parts.length ? `{ ${parts.join(' ')} }` : '';
}

function rank(name: string, preferred = preferredLeaves): number {
  const index = preferred.indexOf(name);
  return index === -1 ? preferred.length : index;
}

export interface GenerateOptions {
  /** Probability that an argument gets a hostile value (each request draws how hostile it is). */
  hostility?: number;
  /**
   * Known-good argument values by argument name (a fresh target the operation catalogue made):
   * these arguments are always sent, and are the valid values hostile ones replace.
   */
  known?: Record<string, unknown>;
}

/** One request for `entry`, drawn from `random`. */
export function generateRequest(
  schema: GraphQLSchema,
  entry: EntryPoint,
  random: Random,
  pools: IdPools,
  options: GenerateOptions = {},
): FuzzRequest {
  // Some requests are all valid, some a little hostile, some very.
  const hostility = options.hostility ?? random.pick([0, 0.2, 0.5, 1]);
  const definitions: string[] = [];
  const args: string[] = [];
  const variables: Record<string, unknown> = {};
  const values: Record<string, unknown> = {};
  const validVariables: Record<string, unknown> = {};
  const classes: Record<string, ValueClass> = {};
  const inline: string[] = [];
  if (entry.viaOrganization) {
    definitions.push('$organizationId: ID!');
    variables.organizationId = pools.ownOrganization;
    values.organizationId = pools.ownOrganization;
    validVariables.organizationId = pools.ownOrganization;
    classes.organizationId = 'valid';
  }
  for (const arg of entry.field.args) {
    const context: ArgContext = { random, pools, fieldName: entry.field.name, argName: arg.name };
    const isKnown = options.known !== undefined && arg.name in options.known;
    // Optional arguments are sometimes left out.
    if (!isKnown && !isNonNullType(arg.type) && random.chance(0.35)) continue;
    const kind: ValueClass = random.chance(hostility) ? random.pick(hostileClasses(arg.type)) : 'valid';
    // A connection's valid page is `first` (and a cursor the api gave) or `last`, never both.
    if (kind === 'valid' && !isKnown && !validPageArgument(arg.name, classes, random, pools)) continue;
    const valid = isKnown
      ? options.known![arg.name]
      : arg.name === 'after' || arg.name === 'before'
        ? random.pick(pools.seen?.get('cursor') ?? [null])
        : argumentValid(arg, context);
    const value = kind === 'valid' ? valid : hostileValue(kind, arg.type, context);
    const variable = `a_${arg.name}`;
    classes[variable] = kind;
    values[variable] = value;
    validVariables[variable] = valid;
    const printed = random.chance(0.15) ? literal(value, arg.type) : undefined;
    if (printed !== undefined) {
      args.push(`${arg.name}: ${printed}`);
      inline.push(variable);
    } else {
      definitions.push(`$${variable}: ${String(arg.type)}`);
      args.push(`${arg.name}: $${variable}`);
      variables[variable] = value;
    }
  }
  const selection = selectionFor(entry.field.type, schema);
  const call = `${entry.field.name}${args.length ? `(${args.join(', ')})` : ''} ${selection}`;
  const body = entry.viaOrganization ? `organization(id: $organizationId) { ${call} }` : call;
  const header = definitions.length ? `(${definitions.join(', ')})` : '';
  return {
    entry: entry.name,
    kind: entry.kind,
    document: `${entry.kind} Fuzz${header} { ${body} }`,
    variables,
    values,
    validVariables,
    classes,
    inline,
  };
}

/** Whether a valid value of a paging argument goes with the ones already drawn (`first` or `last`; a cursor rarely). */
function validPageArgument(name: string, drawn: Record<string, ValueClass>, random: Random, pools: IdPools): boolean {
  if (name === 'after' || name === 'before') return random.chance(0.3) && (pools.seen?.get('cursor')?.length ?? 0) > 0;
  if (name === 'last') return !('a_first' in drawn) && !('a_after' in drawn);
  if (name === 'first') return !('a_before' in drawn);
  return true;
}

function argumentValid(arg: GraphQLArgument, context: ArgContext): unknown {
  // A valid value for a non-null argument is never null.
  for (let i = 0; i < 5; i++) {
    const value = validValue(arg.type, context);
    if (value !== null || !isNonNullType(arg.type)) return value;
  }
  return null;
}

/** The document of `request` with every inline value turned back into its declared variable. */
export function documentWithVariables(schema: GraphQLSchema, entry: EntryPoint, request: FuzzRequest): string {
  const definitions: string[] = [];
  const args: string[] = [];
  if (entry.viaOrganization) definitions.push('$organizationId: ID!');
  for (const arg of entry.field.args) {
    const variable = `a_${arg.name}`;
    if (!(variable in request.classes)) continue;
    definitions.push(`$${variable}: ${String(arg.type)}`);
    args.push(`${arg.name}: $${variable}`);
  }
  const selection = selectionFor(entry.field.type, schema);
  const call = `${entry.field.name}${args.length ? `(${args.join(', ')})` : ''} ${selection}`;
  const body = entry.viaOrganization ? `organization(id: $organizationId) { ${call} }` : call;
  return `${entry.kind} Fuzz${definitions.length ? `(${definitions.join(', ')})` : ''} { ${body} }`;
}

/**
 * The arguments of a document's root field, by argument name, with `variables` filled in: how
 * the operation catalogue's known-good calls (api/test/operations.ts) become `known` values.
 */
export function rootArguments(document: string, variables: Record<string, unknown>): Record<string, unknown> {
  const operation = parse(document).definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const field = operation?.selectionSet.selections[0];
  if (!field || field.kind !== Kind.FIELD) return {};
  return Object.fromEntries(
    (field.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value, variables)]),
  );
}
