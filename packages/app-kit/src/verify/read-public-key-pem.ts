// Fetches one allow-listed callback key. Only ever called for a URL the application configured
// (callback-key-trust.ts). Limits from threats §B3: ≤ 2 s, ≤ 8 KiB, redirects refused (a redirect could
// point anywhere, defeating the allow-list), status 200 only.
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ReadPublicKeyOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly fetch?: FetchLike | undefined;
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new Error(`key is larger than ${maxBytes} bytes`);
  if (response.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new Error(`key is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
}

export async function readPublicKeyPem(url: string, options: ReadPublicKeyOptions): Promise<string> {
  const fetchImpl = options.fetch ?? fetch;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`timed out after ${options.timeoutMs} ms`)),
    options.timeoutMs,
  );
  try {
    const response = await fetchImpl(url, { redirect: 'manual', signal: controller.signal });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`key URL answered HTTP ${response.status} (redirects are not followed)`);
    }
    const pem = new TextDecoder('utf-8', { fatal: true }).decode(
      await readCapped(response, options.maxBytes),
    );
    if (!pem.includes('-----BEGIN PUBLIC KEY-----') && !pem.includes('-----BEGIN RSA PUBLIC KEY-----')) {
      throw new Error('key URL did not return a PEM public key');
    }
    return pem;
  } finally {
    clearTimeout(timer);
  }
}
