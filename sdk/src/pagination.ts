/** A page of a relay connection, as the sdk reads it. */
export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/**
 * Every node of a relay connection, fetched a page at a time as the loop asks for them:
 * `for await (const post of pressroom.posts.list()) ...`. `pages()` yields whole pages;
 * `toArray()` collects everything (mind the size).
 */
export class Paginator<T> implements AsyncIterable<T> {
  constructor(private readonly fetchPage: (after: string | null) => Promise<Page<T>>) {}

  async *pages(): AsyncGenerator<T[], void, undefined> {
    let after: string | null = null;
    for (;;) {
      const page: Page<T> = await this.fetchPage(after);
      yield page.nodes;
      // A server that says there is more but gives no cursor would loop forever.
      if (!page.hasNextPage || !page.endCursor || page.endCursor === after) return;
      after = page.endCursor;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const nodes of this.pages()) yield* nodes;
  }

  /** Every node (or the first `limit`), in order. */
  async toArray(limit = Number.POSITIVE_INFINITY): Promise<T[]> {
    const all: T[] = [];
    if (limit <= 0) return all;
    for await (const node of this) {
      all.push(node);
      if (all.length >= limit) break;
    }
    return all;
  }
}

/** The shape every generated connection query has. */
export interface ConnectionLike<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ node: T }>;
}

export function toPage<T>(connection: ConnectionLike<T> | null | undefined): Page<T> {
  if (!connection) return { nodes: [], hasNextPage: false, endCursor: null };
  return {
    nodes: connection.edges.map((edge) => edge.node),
    hasNextPage: connection.pageInfo.hasNextPage,
    endCursor: connection.pageInfo.endCursor,
  };
}
