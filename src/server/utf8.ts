import { isUtf8 } from 'node:buffer';

/**
 * Where `bytes` stop being UTF-8 (RFC 3629: no overlong forms, surrogates or code points above U+10FFFF), or -1.
 * Only called once `isUtf8` has said no: the scan is for the message, not the check.
 */
const firstInvalidByte = (bytes: Uint8Array): number => {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const follow = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (follow === 0 || i + follow >= bytes.length) return i;
    // The second byte's range excludes overlong forms (E0, F0), surrogates (ED) and code points above U+10FFFF (F4).
    const second = bytes[i + 1]!;
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= follow; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += follow + 1;
  }
  return -1;
};

/**
 * Why a request body is not UTF-8 (the first bad byte and its offset), or null when it is. The check is
 * `buffer.isUtf8` (simdutf, a few GB/s: nothing measurable on the hot path); the body is then decoded knowing
 * no byte will be replaced by U+FFFD, so two distinct keys can never be read as one (docs/production.md, "Errors").
 */
export const utf8Problem = (bytes: Uint8Array): string | null => {
  if (isUtf8(bytes)) return null;
  const at = firstInvalidByte(bytes);
  const where = at < 0 ? '' : `: invalid sequence at byte offset ${at} (0x${bytes[at]!.toString(16).toUpperCase().padStart(2, '0')})`;
  return `the body is not valid UTF-8${where}; send it in UTF-8`;
};
