// The baseline of api/bench/post-list.ts: graphql-yoga with nothing of Pressroom's (no
// database, no auth, no Pothos, no plugins), executing queries against the api's printed
// schema with the data of one answer held in memory. Every root field answers the stored
// data under its name; nested fields use graphql-js's default resolvers. Prints its port.
//
//   node --import tsx api/bench/bare-yoga.ts <answer.json>
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { createYoga } from 'graphql-yoga';

const file = process.argv[2];
if (!file) throw new Error('usage: bare-yoga.ts <answer.json>');
const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const schema = buildSchema(readFileSync(join(import.meta.dirname, '..', 'schema.graphql'), 'utf8'));
// Interfaces (Node) resolve their concrete type from the stored __typename, else by the
// first field of the answer being on that type: the benchmark's queries name one type each.
for (const type of Object.values(schema.getTypeMap())) {
  if ('resolveType' in type && !type.name.startsWith('__')) {
    (type as { resolveType?: (value: Record<string, unknown>) => string | undefined }).resolveType = (value) =>
      typeof value.__typename === 'string' ? value.__typename : 'Publication';
  }
}

for (const [name, field] of Object.entries(schema.getQueryType()!.getFields())) {
  field.resolve = () => data[name];
}

const yoga = createYoga({ schema, logging: false, graphiql: false, maskedErrors: false });
const server = createServer(yoga);
server.listen(0, '127.0.0.1', () => {
  console.log(`bare yoga listening on ${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
