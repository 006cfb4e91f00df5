import type { PostStatus, Prisma, PublicationState } from '../generated/client/client.js';

/**
 * A post sent to several accounts has one publication per account; its own status is the
 * aggregate of theirs (cancelled ones left out), so that the last publication to finish does
 * not decide it alone:
 *
 * - any still SCHEDULED or PUBLISHING: PUBLISHING once any has started (or ended), else SCHEDULED;
 * - all ended and all PUBLISHED: PUBLISHED;
 * - all ended and any FAILED: FAILED, even when others were published. The post needs an
 *   operator; its publications say where it went out and where it did not, and a retry that
 *   publishes the failed ones makes the post PUBLISHED.
 *
 * `null` when no publication counts (all cancelled): the caller leaves the status alone.
 */
export function postStatusOf(states: PublicationState[]): PostStatus | null {
  const live = states.filter((state) => state !== 'CANCELLED');
  if (!live.length) return null;
  const waiting = live.filter((state) => state === 'SCHEDULED').length;
  if (live.some((state) => state === 'SCHEDULED' || state === 'PUBLISHING')) {
    return waiting === live.length ? 'SCHEDULED' : 'PUBLISHING';
  }
  return live.every((state) => state === 'PUBLISHED') ? 'PUBLISHED' : 'FAILED';
}

/**
 * Writes the post's aggregate status (and, once any publication is out, the first time one
 * was) inside the transaction that changed one of its publications. Returns the status written.
 */
export async function settlePostStatus(
  tx: Prisma.TransactionClient,
  postId: string,
  options: { bumpVersion?: boolean } = {},
): Promise<PostStatus | null> {
  // Publications of one post finish in concurrent transactions: each would read the others as
  // still running and write PUBLISHING. The post's row lock serializes them, and the read after
  // it sees what the one before committed.
  await tx.$executeRaw`SELECT 1 FROM "Post" WHERE id = ${postId} FOR UPDATE`;
  const publications = await tx.publication.findMany({
    where: { postId },
    select: { state: true, publishedAt: true },
  });
  const status = postStatusOf(publications.map((publication) => publication.state));
  if (!status) return null;
  const published = publications
    .filter((publication) => publication.state === 'PUBLISHED' && publication.publishedAt)
    .map((publication) => publication.publishedAt!.getTime());
  await tx.post.update({
    where: { id: postId },
    data: {
      status,
      ...(published.length ? { publishedAt: new Date(Math.min(...published)) } : {}),
      ...(options.bumpVersion ? { version: { increment: 1 } } : {}),
    },
  });
  return status;
}
