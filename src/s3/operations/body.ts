// Reading a small request body (XML documents of DeleteObjects, CompleteMultipartUpload, …)
// with a hard limit, so no request can make the gateway buffer more than that.
import type { S3Context } from '../context.js';
import { S3Error } from '../s3-error.js';

export async function readBody(ctx: S3Context, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.body) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new S3Error('MaxMessageLengthExceeded', `The request body exceeds ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
