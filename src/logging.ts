// The process logger: structured JSON lines (pino) with the request id on every request line.
// Secrets never reach it: authorization headers are not serialized, and query parameters
// that authorize a request by themselves (presigned signatures, upload tokens) are masked.
import pino, { type Logger } from 'pino';

const SECRET_QUERY = /([?&](?:X-Amz-Signature|X-Amz-Credential|Signature|AWSAccessKeyId|upload_token|token)=)[^&]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[redacted]');
}

interface LoggedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string };
}

export function createLogger(level: string): Logger {
  return pino({
    level,
    serializers: {
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: redactUrl(req.url),
        user_agent: req.headers['user-agent'],
        remote_address: req.socket?.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      err: pino.stdSerializers.err,
    },
  });
}
