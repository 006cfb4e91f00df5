// Brands, a hand-written draft, paging and a typed refusal, through @pressroom/sdk.
//   PRESSROOM_URL=http://127.0.0.1:4000 PRESSROOM_TOKEN=prt_... pnpm exec tsx sdk/examples/posts.ts
import { Pressroom, ValidationError } from '@pressroom/sdk';

const pressroom = new Pressroom({
  url: process.env.PRESSROOM_URL ?? 'http://127.0.0.1:4000',
  token: process.env.PRESSROOM_TOKEN ?? '',
});

const brands = await pressroom.brands.list().toArray();
console.log(`brands: ${brands.map((brand) => brand.name).join(', ')}`);
const brand = brands[0];
if (!brand) throw new Error('This organization has no brand yet.');

// Retried safely on a network failure: the sdk sends the same Idempotency-Key again.
const draft = await pressroom.posts.create({
  brandId: brand.id,
  caption: 'Written by the sdk example',
  slides: [{ heading: 'Hello', body: 'From @pressroom/sdk' }],
});
console.log(`draft: ${draft.id} ${draft.status} "${draft.caption}"`);

let count = 0;
for await (const post of pressroom.posts.list({ brandId: brand.id, pageSize: 25 })) {
  if (post.status === 'DRAFT') count += 1;
}
console.log(`drafts in ${brand.name}: ${count}`);

try {
  await pressroom.batches.create({ brandId: brand.id, brief: '', count: 0, platforms: ['TIKTOK'] });
} catch (error) {
  if (!(error instanceof ValidationError)) throw error;
  console.log(`refused: ${error.issues.map((issue) => issue.path).join(', ')}`);
}
await pressroom.close();
