// Property-based fuzzing of the `callback` parameter codec (oss-protocol §8.1, §8.6; threats §C5.47):
// parseCallbackParam is total — anything it refuses is 400 InvalidArgument — and what it accepts can
// always be rendered and dialled safely (1–5 http(s) URLs, no CR/LF in callbackHost, a template whose JSON
// rendering is JSON). Seeded (FC_SEED / FC_RUNS override).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OssError } from '../errors/index.js';
import { parseCallbackParam, type CallbackConfig } from './parse-callback-param.js';
import { parseCallbackVar } from './parse-callback-var.js';
import { renderCallbackBody, type CallbackSystemVars } from './render-callback-body.js';

const runs = (defaultRuns: number): fc.Parameters<unknown> => ({
  numRuns: Number(process.env['FC_RUNS'] ?? defaultRuns),
  seed: Number(process.env['FC_SEED'] ?? 0x5eed),
});

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** Runs `parse`; anything thrown must be OSS's 400 InvalidArgument (§8.6). */
function parseOrInvalidArgument<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    assert.ok(error instanceof OssError, `not an OssError: ${String(error)}`);
    assert.equal(error.code, 'InvalidArgument', error.message);
    assert.equal(error.status, 400);
    return undefined;
  }
}

const piece = fc.oneof(
  fc.constantFrom('http://', 'https://', 'ftp://', 'a.example', '127.0.0.1', '[::1]', ':', ':0', ':65536'),
  fc.constantFrom(':8080', '/', '/cb', '?', '?a=1', '#', ';', '@', '\\', ' ', '\t', '\r\n', '%2F', '0x7f.1'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }),
);
const urlText = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));

const templateToken = fc.oneof(
  fc.constantFrom('{', '}', '[', ']', '"', ':', ',', ' ', '\\', '\\"', 'null', '1', 'a', '&', '=', '$'),
  fc.constantFrom('${bucket}', '${object}', '${size}', '${imageInfo.width}', '${x:a}', '${x:}', '${x:a$b}'),
  fc.constantFrom('${unknown}', '${', '$object', '"${x:q}"', '{"k":', '"}', '${imageInfo.format}'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }),
);
const templateText = fc.array(templateToken, { maxLength: 12 }).map((parts) => parts.join(''));

/** Each member is usually well-formed and sometimes hostile, so that both outcomes are common. */
const sometimes = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: good, weight: 3 }, { arbitrary: bad, weight: 1 });

const callbackObject = fc.record(
  {
    callbackUrl: sometimes(
      fc.constantFrom('http://127.0.0.1:9/cb', 'app.example/x?y=%20;https://b.example:8443/'),
      fc.oneof(urlText, fc.jsonValue({ maxDepth: 1 })),
    ),
    callbackHost: sometimes(
      fc.constantFrom('app.example', 'app.example:8080'),
      fc.oneof(urlText, fc.jsonValue({ maxDepth: 1 })),
    ),
    callbackBody: sometimes(
      fc.constantFrom('bucket=${bucket}', '{"o":${object}}'),
      fc.oneof(templateText, fc.jsonValue({ maxDepth: 1 })),
    ),
    callbackBodyType: sometimes(
      fc.constantFrom('application/json', 'application/x-www-form-urlencoded'),
      fc.oneof(fc.constantFrom('APPLICATION/JSON', 'text/plain'), fc.jsonValue({ maxDepth: 1 })),
    ),
    callbackSNI: sometimes(
      fc.constantFrom(true, false, 'true', 'false'),
      fc.oneof(fc.constantFrom('yes', 1), fc.jsonValue({ maxDepth: 1 })),
    ),
  },
  { requiredKeys: [] },
);

const vars = fc.record({
  text: fc.string({ unit: 'binary', maxLength: 12 }),
  size: fc.nat(),
  image: fc.option(fc.record({ width: fc.nat(), height: fc.nat(), format: fc.string() })),
});

function systemVars(text: string, size: number, image: CallbackSystemVars['imageInfo']): CallbackSystemVars {
  return {
    bucket: text,
    object: text,
    etag: text,
    size,
    mimeType: text,
    imageInfo: image,
    crc64: text,
    contentMd5: text,
    vpcId: text,
    clientIp: text,
    reqId: text,
    operation: text,
  };
}

/** oss-protocol §8.4 documents absent image values as empty: outside a string that is not JSON. */
function hasBareImageDimension(config: CallbackConfig): boolean {
  return config.template.some(
    (part) =>
      part.kind === 'variable' &&
      !part.inJsonString &&
      (part.name === 'imageInfo.width' || part.name === 'imageInfo.height'),
  );
}

function checkAccepted(
  config: CallbackConfig,
  sample: fc.Arbitrary<{ text: string; size: number; image: CallbackSystemVars['imageInfo'] | null }>,
): void {
  assert.ok(config.urls.length >= 1 && config.urls.length <= 5);
  for (const url of config.urls) {
    assert.ok(url.protocol === 'http:' || url.protocol === 'https:');
    assert.match(url.hostname, /^[a-z0-9._-]+$/);
    assert.ok(Number.isInteger(url.port) && url.port >= 1 && url.port <= 65535);
    assert.ok(url.requestTarget.startsWith('/'));
  }
  if (config.host !== undefined) assert.doesNotMatch(config.host, /[\r\n\s@/]/);
  assert.notEqual(config.body, '');
  for (const { text, size, image } of fc.sample(sample, { numRuns: 5, seed: 1 })) {
    const body = renderCallbackBody(config, {
      system: systemVars(text, size, image ?? undefined),
      custom: { 'x:a': text },
    });
    if (config.bodyType === 'application/json' && (image !== null || !hasBareImageDimension(config))) {
      assert.doesNotThrow(() => JSON.parse(body.toString('utf8')), body.toString('utf8'));
    }
  }
}

describe('parseCallbackParam is total (oss-protocol §8.6, threats §C5.47)', () => {
  it('refuses arbitrary strings only with InvalidArgument', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        parseOrInvalidArgument(() => parseCallbackParam(text));
        parseOrInvalidArgument(() => parseCallbackVar(text));
      }),
      runs(500),
    );
  });

  it('refuses the base64 of arbitrary bytes and JSON values only with InvalidArgument', () => {
    const payload = fc.oneof(
      fc.uint8Array({ maxLength: 120 }).map((bytes) => Buffer.from(bytes).toString('base64')),
      fc.jsonValue({ maxDepth: 3 }).map((value) => b64(JSON.stringify(value) ?? 'null')),
      fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 })).map((value) => b64(JSON.stringify(value))),
    );
    fc.assert(
      fc.property(payload, fc.boolean(), (base64, unpadded) => {
        const text = unpadded ? base64.replace(/=+$/, '') : base64;
        parseOrInvalidArgument(() => parseCallbackParam(text));
        parseOrInvalidArgument(() => parseCallbackVar(text));
      }),
      runs(500),
    );
  });

  it('accepts only configurations that are safe to dial and always render (JSON bodies as JSON)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(callbackObject, (object) => {
        const config = parseOrInvalidArgument(() => parseCallbackParam(b64(JSON.stringify(object))));
        if (config === undefined) return;
        accepted += 1;
        checkAccepted(config, vars);
      }),
      runs(500),
    );
    assert.ok(accepted > 0, 'the generator never produced an acceptable callback parameter');
  });

  it('accepts well-formed parameters with hostile templates and renders them as JSON', () => {
    const json = fc.record({
      callbackUrl: fc.constantFrom('http://127.0.0.1:9/cb?a=%2F', 'app.example/x;https://b.example:8443'),
      callbackBody: templateText,
      callbackBodyType: fc.constantFrom('application/json', 'application/x-www-form-urlencoded'),
    });
    let accepted = 0;
    fc.assert(
      fc.property(json, (object) => {
        const config = parseOrInvalidArgument(() => parseCallbackParam(b64(JSON.stringify(object))));
        if (config === undefined) return;
        accepted += 1;
        checkAccepted(config, vars);
      }),
      runs(500),
    );
    assert.ok(accepted > 10, `only ${accepted} templates were accepted`);
  });
});
