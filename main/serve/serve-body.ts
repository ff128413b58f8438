import type { IncomingMessage } from 'node:http';

export type BodyResult = { ok: true; text: string } | { ok: false; tooLarge: true };

/** Past this much discarded upload we stop being polite and drop the connection. */
const DRAIN_LIMIT = 32 * 1024 * 1024;

/**
 * Reads a UTF-8 request body of at most `limit` bytes. An oversized body is drained, not buffered,
 * and reported when the upload ends, so the caller can answer 413 and the client can read it.
 */
export function readRequestBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  return new Promise<BodyResult>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;

    const drain = (): void => {
      settled = true;
      chunks.length = 0;
      let drained = 0;
      req.removeAllListeners('data');
      req.on('data', (chunk: Buffer) => {
        drained += chunk.length;
        if (drained > DRAIN_LIMIT) req.destroy();
      });
      // Answer only once the upload is over: a client still writing may not read an early reply.
      const done = (): void => resolve({ ok: false, tooLarge: true });
      req.once('end', done);
      req.once('close', done);
      req.resume();
    };

    if (Number.isFinite(declared) && declared > limit) {
      drain();
      return;
    }
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        drain();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve({ ok: true, text: Buffer.concat(chunks).toString('utf8') });
    });
    req.on('error', (err) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
  });
}
