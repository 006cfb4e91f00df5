// A webhook receiver: checks each delivery's signature before trusting it.
//   PRESSROOM_WEBHOOK_SECRET=whsec_... pnpm exec tsx sdk/examples/webhook-receiver.ts
import { createServer } from 'node:http';
import { WebhookVerificationError, verifyWebhook } from '@pressroom/sdk';

const secret = process.env.PRESSROOM_WEBHOOK_SECRET ?? '';
const seen = new Set<string>();

createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    // The raw body, exactly as it came: a re-serialized object would not match its signature.
    const body = Buffer.concat(chunks).toString('utf8');
    verifyWebhook(secret, request.headers, body)
      .then((event) => {
        // Retries carry the same delivery id: act once.
        if (!seen.has(event.id)) {
          seen.add(event.id);
          console.log(`${event.type}`, event.data);
        }
        response.writeHead(204).end();
      })
      .catch((error: unknown) => {
        const reason = error instanceof WebhookVerificationError ? error.reason : 'error';
        response.writeHead(400).end(reason);
      });
  });
}).listen(Number(process.env.PORT ?? 8787), '127.0.0.1');
