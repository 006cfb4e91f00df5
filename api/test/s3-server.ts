// The S3-compatible server the S3 conformance suite runs against, chosen at run time: a real
// SeaweedFS (`weed server -s3`) when PRESSROOM_TEST_WEED names a weed binary, else the in-repo
// S3 emulator. The suite only talks S3 to it, so every check holds for both.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { S3Emulator } from '@pressroom/workflows/emulators';
import { z } from 'zod';

const testEnv = z.object({ PRESSROOM_TEST_WEED: z.string().min(1).optional() }).parse(process.env);

export interface S3TestServer {
  /** What the suite ran against, as it prints it. */
  name: string;
  endpoint: string;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** A plain SDK client on the server, for looking at what the app left there. */
  client: S3Client;
  stop(): Promise<void>;
}

/** The label of the server the suite will use, known before it starts (for test names). */
export const s3ServerKind = testEnv.PRESSROOM_TEST_WEED ? 'SeaweedFS' : 'S3 emulator';

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function clientFor(endpoint: string, credentials: S3TestServer['credentials']): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

async function startWeed(binary: string, bucket: string): Promise<S3TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'pressroom-weed-'));
  const credentials = {
    accessKeyId: `pr${randomBytes(6).toString('hex')}`,
    secretAccessKey: randomBytes(24).toString('hex'),
  };
  // One identity with every S3 action, as an operator would configure the bucket's user.
  await writeFile(
    join(dir, 's3.json'),
    JSON.stringify({
      identities: [
        {
          name: 'pressroom',
          credentials: [{ accessKey: credentials.accessKeyId, secretKey: credentials.secretAccessKey }],
          actions: ['Admin', 'Read', 'Write', 'List', 'Tagging'],
        },
      ],
    }),
  );
  // Every listener on a port of its own (the gRPC ones default to port + 10000, which may be taken).
  const ports: Record<string, number> = {};
  for (const name of ['master', 'masterGrpc', 'volume', 'volumeGrpc', 'filer', 'filerGrpc', 's3', 's3Grpc']) {
    ports[name] = await freePort();
  }
  const args = [
    'server',
    '-ip=127.0.0.1',
    '-ip.bind=127.0.0.1',
    `-dir=${join(dir, 'data')}`,
    `-master.port=${ports.master}`,
    `-master.port.grpc=${ports.masterGrpc}`,
    // Small volumes: the default 30 GB volume limit preallocates nothing but wants the disk.
    '-master.volumeSizeLimitMB=256',
    `-volume.port=${ports.volume}`,
    `-volume.port.grpc=${ports.volumeGrpc}`,
    '-volume.max=20',
    '-filer',
    `-filer.port=${ports.filer}`,
    `-filer.port.grpc=${ports.filerGrpc}`,
    '-s3',
    `-s3.port=${ports.s3}`,
    `-s3.port.grpc=${ports.s3Grpc}`,
    '-s3.port.iceberg=0',
    '-s3.port.lance=0',
    `-s3.config=${join(dir, 's3.json')}`,
    '-metricsPort=0',
  ];
  await mkdir(join(dir, 'data'));
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${ports.s3}`;
  const client = clientFor(endpoint, credentials);
  const stop = async () => {
    client.destroy();
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killed);
    }
    await rm(dir, { recursive: true, force: true });
  };
  // The S3 gateway answers before the filer and volumes are ready: creating the bucket is what
  // says the server can take objects.
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`weed exited (${child.exitCode}):\n${log.slice(-4000)}`);
    }
    try {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`SeaweedFS did not take a bucket within 90 s: ${String(error)}\n${log.slice(-4000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  const version = await new Promise<string>((resolve) => {
    const probe = spawn(binary, ['version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    probe.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    probe.once('exit', () => resolve(out.trim().replace(/^version\s+/, '')));
  });
  return { name: `SeaweedFS ${version} (${binary})`, endpoint, bucket, credentials, client, stop };
}

export async function startS3TestServer(bucket = 'pressroom'): Promise<S3TestServer> {
  const server = testEnv.PRESSROOM_TEST_WEED
    ? await startWeed(testEnv.PRESSROOM_TEST_WEED, bucket)
    : await (async () => {
        const emulator = new S3Emulator(undefined, [bucket]);
        const endpoint = await emulator.start();
        const client = clientFor(endpoint, emulator.credentials);
        return {
          name: 'the in-repo S3 emulator (set PRESSROOM_TEST_WEED to a weed binary for SeaweedFS)',
          endpoint,
          bucket,
          credentials: emulator.credentials,
          client,
          stop: async () => {
            client.destroy();
            await emulator.stop();
          },
        };
      })();
  // Said once per run, so a log shows which server the S3 results are from.
  console.log(`S3 conformance suite: running against ${server.name} at ${server.endpoint}`);
  return server;
}
