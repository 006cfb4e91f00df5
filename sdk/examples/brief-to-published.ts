// The whole journey: a brief becomes posts (followed live), a reviewer approves one, it is
// scheduled and published, and its numbers come back. Needs `npm start` (worker and emulators)
// and two tokens: an editor's and a reviewer's (create-token.ts with PRESSROOM_SCOPES).
//   PRESSROOM_TOKEN=prt_... PRESSROOM_REVIEWER_TOKEN=prt_... pnpm exec tsx sdk/examples/brief-to-published.ts
import { Pressroom } from '@pressroom/sdk';
import WebSocket from 'ws';

const url = process.env.PRESSROOM_URL ?? 'http://127.0.0.1:4000';
// Node 20 has no global WebSocket; Node 22+ and browsers need no webSocketImpl.
const editor = new Pressroom({ url, token: process.env.PRESSROOM_TOKEN ?? '', webSocketImpl: WebSocket });
const reviewer = new Pressroom({
  url,
  token: process.env.PRESSROOM_REVIEWER_TOKEN ?? process.env.PRESSROOM_TOKEN ?? '',
});

const [brand] = await editor.brands.list().toArray(1);
if (!brand) throw new Error('No brand.');
const accounts = (await editor.accounts.list(brand.id)).filter((account) => account.status === 'ACTIVE');

const batch = await editor.batches.create({
  brandId: brand.id,
  brief: 'Three tips for a rainy weekend',
  count: 2,
  platforms: [accounts[0]?.platform ?? 'TIKTOK'],
});
const done = await editor.batches.waitUntilFinished(batch.id, (update) =>
  console.log(`batch ${update.status}: ${update.generatedCount}/${update.count}`),
);
const [post] = await editor.batches.posts(done.id).toArray(1);
if (!post) throw new Error('Nothing was generated.');
console.log(`generated: "${post.caption}"`);

await reviewer.reviews.approve(post.id, { comment: 'Looks good' });
console.log('approved');
const account = accounts[0];
if (!account) {
  console.log(`To publish, connect an account to ${brand.name} (dashboard → Accounts → Connect) and run again.`);
  await editor.close();
  process.exit(0);
}
const changes = editor.publications.changes();
await editor.posts.schedule(post.id, {
  scheduledAt: new Date(Date.now() + 5_000),
  socialAccountIds: [account.id],
});
console.log('scheduled in 5 s');
for await (const publication of changes) {
  if (publication?.post.id !== post.id) continue;
  console.log(`publication ${publication.state}${publication.platformUrl ? ` at ${publication.platformUrl}` : ''}`);
  if (publication.state === 'PUBLISHED') {
    await editor.accounts.syncNow(publication.socialAccount.id);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const metrics = await editor.analytics.publication(publication.id, { from: new Date(Date.now() - 86_400_000) });
    console.log('metrics:', metrics.latest);
    break;
  }
  if (publication.state === 'FAILED') break;
}
await editor.close();
