// An S3Client of the AWS SDK for JavaScript v3 for a target (path style, our CA over HTTPS,
// no retries: a conformance case sees the first answer), and the error name it surfaces.
import { Agent } from 'node:https';
import { S3Client, S3ServiceException, type S3ClientConfig } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Credentials } from './clients.js';
import type { Target } from './targets.js';

export function s3Client(target: Target, creds: Credentials = target.admin, extra: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    endpoint: target.url, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1,
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secret },
    ...(target.ca ? { requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: target.ca.pem }) }) } : {}),
    ...extra,
  });
}

/** The S3 error name the SDK surfaces for `p`, or 'resolved'. */
export async function errorName(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return err instanceof S3ServiceException ? err.name : `not an S3 error: ${String(err)}`;
  }
}


/** The HTTP status of the error the SDK raised for `p` (0 if it resolved). */
export async function errorStatus(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 0;
  } catch (err) {
    return err instanceof S3ServiceException ? err.$metadata.httpStatusCode ?? -1 : -1;
  }
}
