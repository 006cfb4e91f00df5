// A small tus 1.0 client for tests and the upload benchmark: creation, PATCH from any offset,
// HEAD, and a PATCH cut off after a number of bytes (the interruption a dropped connection makes).
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

export interface TusAuth {
  cookie?: string | null;
  token?: string;
}

function authHeaders(auth: TusAuth): Record<string, string> {
  const headers: Record<string, string> = { 'tus-resumable': '1.0.0' };
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  return headers;
}

function encodeMetadata(metadata: Record<string, string>): string {
  return Object.entries(metadata)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');
}

export async function createUpload(
  apiUrl: string,
  auth: TusAuth,
  length: number,
  metadata: Record<string, string>,
): Promise<{ status: number; location: string | null; body: string }> {
  const response = await fetch(`${apiUrl}/uploads`, {
    method: 'POST',
    headers: { ...authHeaders(auth), 'upload-length': String(length), 'upload-metadata': encodeMetadata(metadata) },
  });
  return { status: response.status, location: response.headers.get('location'), body: await response.text() };
}

export async function uploadOffset(location: string, auth: TusAuth): Promise<{ status: number; offset: number }> {
  const response = await fetch(location, { method: 'HEAD', headers: authHeaders(auth) });
  return { status: response.status, offset: Number(response.headers.get('upload-offset') ?? Number.NaN) };
}

/**
 * PATCHes `file` from `offset`. With `stopAfter`, the request is aborted once that many bytes
 * were handed to the connection (the server keeps what arrived); otherwise it runs to the end.
 */
export async function patchFrom(
  location: string,
  auth: TusAuth,
  file: string,
  offset: number,
  options: { stopAfter?: number; end?: number } = {},
): Promise<{ status: number | null; offset: number | null; body: string }> {
  const controller = new AbortController();
  const source = createReadStream(file, { start: offset, end: options.end, highWaterMark: 256 * 1024 });
  let sent = 0;
  const body = Readable.toWeb(
    Readable.from(
      (async function* () {
        for await (const chunk of source as AsyncIterable<Buffer>) {
          yield chunk;
          sent += chunk.length;
          if (options.stopAfter !== undefined && sent >= options.stopAfter) {
            // Give the bytes a moment to leave, then drop the connection mid-body.
            await new Promise((resolve) => setTimeout(resolve, 200));
            controller.abort();
            return;
          }
        }
      })(),
    ),
  ) as ReadableStream<Uint8Array>;
  try {
    const response = await fetch(location, {
      method: 'PATCH',
      headers: {
        ...authHeaders(auth),
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
      },
      body,
      signal: controller.signal,
      duplex: 'half',
    } as RequestInit);
    return {
      status: response.status,
      offset: response.headers.has('upload-offset') ? Number(response.headers.get('upload-offset')) : null,
      body: await response.text(),
    };
  } catch (error) {
    if (controller.signal.aborted) return { status: null, offset: null, body: '' };
    throw error;
  } finally {
    source.destroy();
  }
}

/** The offset the server settled on after an interruption (it may still be writing the tail). */
export async function settledOffset(location: string, auth: TusAuth): Promise<number> {
  let last = -1;
  for (let attempt = 0; attempt < 50; attempt++) {
    const { status, offset } = await uploadOffset(location, auth);
    if (status === 200 && offset === last) return offset;
    last = status === 200 ? offset : -1;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the upload's offset did not settle (last ${last})`);
}
