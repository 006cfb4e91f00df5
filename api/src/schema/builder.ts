import SchemaBuilder from '@pothos/core';
import type { ApiContext } from '../context.js';

export const builder = new SchemaBuilder<{ Context: ApiContext }>({});

builder.queryType({});
