import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import { InvalidInputError, type FieldIssue } from '../errors.js';

// PostgreSQL text cannot hold U+0000 (it answers 22021 and the write fails as an internal
// error). Every argument of every field is checked here, once, before any resolver runs:
// a NUL anywhere in a string, however deep in an input object or list, is a ValidationError
// (a typed result where the field returns one, a top-level BAD_USER_INPUT elsewhere).

function nulIssues(value: unknown, path: string, issues: FieldIssue[]): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) issues.push({ path, message: 'must not contain the NUL character (U+0000)' });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => nulIssues(item, `${path}.${index}`, issues));
    return;
  }
  // Input objects arrive as plain objects; Dates, bigints and uploaded Files are left alone.
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) nulIssues(item, path ? `${path}.${key}` : key, issues);
  }
}

export function checkTextArguments(args: Record<string, unknown>): void {
  const issues: FieldIssue[] = [];
  for (const [name, value] of Object.entries(args)) nulIssues(value, name, issues);
  if (issues.length) {
    throw new InvalidInputError(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), issues);
  }
}

type Resolver<Types extends SchemaTypes> = GraphQLFieldResolver<unknown, Types['Context'], object>;

export class TextInputPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(resolver: Resolver<Types>, fieldConfig: PothosOutputFieldConfig<Types>): Resolver<Types> {
    if (Object.keys(fieldConfig.args).length === 0) return resolver;
    return (parent, args, context, info) => {
      checkTextArguments(args as Record<string, unknown>);
      return resolver(parent, args, context, info);
    };
  }

  override wrapSubscribe(
    subscribe: Resolver<Types> | undefined,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): Resolver<Types> | undefined {
    if (!subscribe || Object.keys(fieldConfig.args).length === 0) return subscribe;
    return (parent, args, context, info) => {
      checkTextArguments(args as Record<string, unknown>);
      return subscribe(parent, args, context, info);
    };
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      textInput: TextInputPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin('textInput', TextInputPlugin);

export default 'textInput' as const;
