// Percent-encoding at the byte level, so that any byte a client sent (even invalid UTF-8)
// survives decoding and re-encoding unchanged.

const HEX = '0123456789ABCDEF';

function isUnreserved(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39)
    || byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e; // - . _ ~
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/** Whether `text[at]` starts a well-formed `%XX` escape. */
export function isEscapeAt(text: string, at: number): boolean {
  return text.charCodeAt(at) === 0x25 && hexValue(text.charCodeAt(at + 1)) >= 0 && hexValue(text.charCodeAt(at + 2)) >= 0;
}

/** AWS's UriEncode: every byte but A-Z a-z 0-9 - . _ ~ as upper-case %XX. */
export function uriEncode(value: string | Buffer, keepSlash = false): string {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  let out = '';
  for (const byte of bytes) {
    if (isUnreserved(byte) || (keepSlash && byte === 0x2f)) out += String.fromCharCode(byte);
    else out += `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

/**
 * The bytes a query component stands for: `%XX` escapes decoded, `+` as a space (form
 * encoding, as S3 and minio read it), a `%` that starts no escape kept literally.
 */
export function percentDecode(text: string, plusAsSpace = true): Buffer {
  const bytes: number[] = [];
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (isEscapeAt(text, at)) {
      bytes.push(hexValue(text.charCodeAt(at + 1)) * 16 + hexValue(text.charCodeAt(at + 2)));
      at += 2;
    } else if (code === 0x2b && plusAsSpace) {
      bytes.push(0x20);
    } else if (code < 0x80) {
      bytes.push(code);
    } else {
      const char = String.fromCodePoint(text.codePointAt(at)!);
      bytes.push(...Buffer.from(char, 'utf8'));
      at += char.length - 1;
    }
  }
  return Buffer.from(bytes);
}
