// The load generator's HTTP side: raw node:http over keep-alive agents, one signed request at a
// time per caller, bodies streamed both ways and never buffered unless asked for.
import http, { type IncomingHttpHeaders } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { canonicalQuery, Signer, uriEncode } from './sigv4.js';

export interface Target {
  host: string;
  port: number;
  /** null: the server accepts anything (still sent UNSIGNED-PAYLOAD, as its clients would). */
  signer: Signer | null;
}

export interface RequestSpec {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  bucket: string;
  key?: string;
  query?: ReadonlyArray<readonly [string, string]>;
  headers?: Record<string, string>;
  body?: Buffer | string | Readable;
  /** 'text' keeps the body; a function sees each chunk; default: counted and dropped. */
  read?: 'text' | ((chunk: Buffer) => void);
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  bytes: number;
}

export class HttpError extends Error {
  constructor(readonly status: number, what: string, body: string) {
    super(`${what}: HTTP ${status} ${body.replace(/\s+/g, ' ').slice(0, 300)}`);
  }
}

export function keepAliveAgent(sockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

export function request(target: Target, agent: http.Agent, spec: RequestSpec): Promise<Reply> {
  const path = `/${uriEncode(spec.bucket)}${spec.key === undefined ? '' : `/${uriEncode(spec.key, true)}`}`;
  const query = canonicalQuery(spec.query ?? []);
  const host = `${target.host}:${target.port}`;
  const headers: Record<string, string> = { ...spec.headers, ...target.signer?.sign(spec.method, host, path, query) };
  if (!target.signer) headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  const body = spec.body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) headers['content-length'] = String(Buffer.byteLength(body));
  else if (!body && (spec.method === 'PUT' || spec.method === 'POST')) headers['content-length'] = '0';

  return new Promise<Reply>((resolve, reject) => {
    const req = http.request({ host: target.host, port: target.port, method: spec.method, path: query ? `${path}?${query}` : path, agent, headers });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      let bytes = 0;
      const read = spec.read;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (read === 'text' || (res.statusCode ?? 0) >= 300) text += chunk.toString();
        else if (read) read(chunk);
      });
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, bytes }));
    });
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
    else pipeline(body, req).catch(reject);
  });
}

/** The request, which must answer 2xx. */
export async function ok(target: Target, agent: http.Agent, spec: RequestSpec, what: string): Promise<Reply> {
  const reply = await request(target, agent, spec);
  if (reply.status < 200 || reply.status >= 300) throw new HttpError(reply.status, what, reply.text);
  return reply;
}
