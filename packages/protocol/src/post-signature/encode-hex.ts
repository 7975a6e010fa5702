/** Lower-case hex, as V4 signatures are written (oss-protocol §5.2). Browser-safe. */
export function encodeHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}
