// Test helper: an application server that verifies upload callbacks the way OSS's official Python demo
// does (oss-protocol §9.3, §9.7) — written here in TypeScript on node:http, not copied: prefix check on
// the Base64-decoded x-oss-pub-key-url, fetch of that URL through `http_proxy` (as Python's urllib and
// requests do), RSA-MD5 over percent-decoded path + raw query + "\n" + body, 200 {"Status":"OK"} or 400.
// Unlike a real demo it never dials anything but the configured proxy: without a proxy, or for an https
// key URL (which would need a CONNECT tunnel), it rejects instead of fetching from the internet.
import { createVerify } from 'node:crypto';
import { once } from 'node:events';
import { createServer, get, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DemoVerdict {
  readonly accepted: boolean;
  readonly reason: string;
  readonly keyUrl: string;
}

export interface DemoStyleVerifier {
  readonly url: string;
  readonly verdicts: DemoVerdict[];
  close(): Promise<void>;
}

/** The environment the demo reads its proxy from. */
export interface DemoVerifierEnv {
  readonly http_proxy?: string;
}

const officialPrefixes = ['http://gosspublic.alicdn.com/', 'https://gosspublic.alicdn.com/'];

/** Python's urllib.parse.unquote: %XX runs → UTF-8 (invalid bytes → U+FFFD); `+` stays `+`. */
export function unquote(text: string): string {
  return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) =>
    Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'),
  );
}

/** urlopen(url) with http_proxy set: the request goes to the proxy in absolute-form. */
function fetchThroughProxy(keyUrl: string, proxy: string): Promise<string> {
  const proxyUrl = new URL(proxy);
  return new Promise((resolve, reject) => {
    const req = get(
      {
        host: proxyUrl.hostname,
        port: proxyUrl.port,
        path: keyUrl,
        headers: { host: new URL(keyUrl).host },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          if (res.statusCode === 200) resolve(Buffer.concat(chunks).toString('utf8'));
          else reject(new Error(`key fetch answered HTTP ${res.statusCode}`));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

async function loadKey(keyUrl: string, env: DemoVerifierEnv): Promise<string> {
  if (!keyUrl.startsWith('http://')) throw new Error('https key URLs need a CONNECT tunnel (not in tests)');
  if (env.http_proxy === undefined) throw new Error('no http_proxy: the demo would dial the internet');
  return fetchThroughProxy(keyUrl, env.http_proxy);
}

/** The demo's verification steps; resolves to its verdict. */
async function verify(req: IncomingMessage, body: Buffer, env: DemoVerifierEnv): Promise<DemoVerdict> {
  const keyUrl = Buffer.from(String(req.headers['x-oss-pub-key-url'] ?? ''), 'base64').toString('utf8');
  if (!officialPrefixes.some((prefix) => keyUrl.startsWith(prefix))) {
    return { accepted: false, reason: 'key URL is not on gosspublic.alicdn.com', keyUrl };
  }
  let pem: string;
  try {
    pem = await loadKey(keyUrl, env);
  } catch (error) {
    return { accepted: false, reason: `key fetch failed: ${(error as Error).message}`, keyUrl };
  }
  const signature = Buffer.from(String(req.headers.authorization ?? ''), 'base64');
  const path = req.url ?? '';
  const pos = path.indexOf('?');
  const signed = pos === -1 ? unquote(path) : unquote(path.slice(0, pos)) + path.slice(pos);
  const message = Buffer.concat([Buffer.from(`${signed}\n`, 'utf8'), body]);
  const ok = createVerify('RSA-MD5').update(message).verify(pem, signature);
  return { accepted: ok, reason: ok ? 'signature verified' : 'signature mismatch', keyUrl };
}

function reply(res: ServerResponse, verdict: DemoVerdict): void {
  const body = verdict.accepted ? '{"Status":"OK"}' : verdict.reason;
  res.writeHead(verdict.accepted ? 200 : 400, {
    'Content-Type': verdict.accepted ? 'application/json' : 'text/plain',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

export async function startDemoStyleVerifier(env: DemoVerifierEnv): Promise<DemoStyleVerifier> {
  const verdicts: DemoVerdict[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      verify(req, Buffer.concat(chunks), env).then(
        (verdict) => {
          verdicts.push(verdict);
          reply(res, verdict);
        },
        () => res.destroy(),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    verdicts,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
