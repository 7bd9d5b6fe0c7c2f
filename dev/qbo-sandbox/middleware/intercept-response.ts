import type { Response } from 'express';

function toBuffer(chunk: unknown, encoding: unknown): Buffer | null {
  if (typeof chunk === 'string') return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return null;
}

export interface FinishedBody {
  status: number;
  contentType: string | null;
  body: Buffer;
}

/**
 * Sees the whole body a handler writes, once it ends the response. 'observe' lets everything through;
 * 'swallow' writes nothing at all (the caller then destroys the socket: a write applied, an answer lost).
 */
export function interceptResponse(res: Response, mode: 'observe' | 'swallow', onEnd: (finished: FinishedBody) => void): void {
  const chunks: Buffer[] = [];
  const originalWrite = res.write.bind(res) as (...args: unknown[]) => boolean;
  const originalEnd = res.end.bind(res) as (...args: unknown[]) => Response;

  const write = (...args: unknown[]): boolean => {
    const buffer = toBuffer(args[0], args[1]);
    if (buffer) chunks.push(buffer);
    return mode === 'swallow' ? true : originalWrite(...args);
  };
  const end = (...args: unknown[]): Response => {
    const first = args[0];
    if (first !== undefined && typeof first !== 'function') {
      const buffer = toBuffer(first, args[1]);
      if (buffer) chunks.push(buffer);
    }
    const contentType = res.getHeader('content-type');
    onEnd({ status: res.statusCode, contentType: typeof contentType === 'string' ? contentType : null, body: Buffer.concat(chunks) });
    return mode === 'swallow' ? res : originalEnd(...args);
  };
  res.write = write as unknown as Response['write'];
  res.end = end as unknown as Response['end'];
}
