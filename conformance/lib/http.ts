// Plain HTTP(S) requests from the suite itself: the REST API (sessions, log) and presigned URLs
// that a client made. Over HTTPS the suite trusts its own certificate authority, nothing else.
import http from 'node:http';
import https from 'node:https';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** PEM of the CA that signed the server's certificate (HTTPS). */
  ca?: string;
}

export function request(url: string, options: RequestOptions = {}): Promise<Answer> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method: options.method ?? 'GET', headers: options.headers, ...(options.ca ? { ca: options.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The `<Code>` of an S3 XML error body. */
export function s3ErrorCode(body: Buffer | string): string | undefined {
  return /<Code>([^<]+)<\/Code>/.exec(body.toString())?.[1];
}
