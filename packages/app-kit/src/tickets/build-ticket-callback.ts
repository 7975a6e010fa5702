// The `callback` form field of a ticket (oss-protocol §8.1) and the `x:` variables it uses (§8.2, §8.3).
// The body template names every system variable (§8.4) plus the one-time upload id, so the callback
// handler can confirm the record without trusting anything the browser said.
//
// Body type: form-urlencoded by default — OSS's own default, and the only mode whose substitution rule
// is documented (§8.5: values URL-encoded). JSON-mode substitution is INFERRED: an empty imageInfo value
// outside a string leaves `"height":,` (invalid JSON) for every non-image upload, and crc64's type is
// UNKNOWN. The JSON template therefore carries image sizes inside one string and leaves crc64 and
// imageInfo.format out. Both modes parse into the same typed VerifiedCallback.
import { parseCallbackParam, type CallbackBodyType, type CallbackVariableName } from '@upcall/protocol';
import { OssError } from '@upcall/protocol';

export interface TicketCallbackOptions {
  /** 1–5 callback URLs, tried by OSS in order (§8.1); must be reachable from OSS (public HTTPS for real OSS). */
  readonly urls: string | readonly string[];
  /** `callbackHost`: the Host header OSS sends (default: the URL's authority). */
  readonly host?: string;
  /** Default `application/x-www-form-urlencoded` (see the comment at the top of this file). */
  readonly bodyType?: CallbackBodyType;
  /** `callbackSNI`: needed for HTTPS callback hosts behind shared-IP TLS (anchors §1, cloudreve#448). */
  readonly sni?: boolean;
  /** Extra custom variables, name without or with `x:` (lower-case letters, digits, `_`). Pinned in the policy. */
  readonly vars?: Readonly<Record<string, string>>;
}

export const uploadIdVar = 'x:upload_id';

/** Body member name → variable, in template order. */
const systemMembers: ReadonlyArray<readonly [string, CallbackVariableName]> = [
  ['bucket', 'bucket'],
  ['object', 'object'],
  ['etag', 'etag'],
  ['size', 'size'],
  ['mimeType', 'mimeType'],
  ['imageInfo.height', 'imageInfo.height'],
  ['imageInfo.width', 'imageInfo.width'],
  ['imageInfo.format', 'imageInfo.format'],
  ['crc64', 'crc64'],
  ['contentMd5', 'contentMd5'],
  ['clientIp', 'clientIp'],
  ['reqId', 'reqId'],
  ['operation', 'operation'],
];

// §8.2: custom variable keys are lower-case; digits and `_` appear in OSS's own examples (x:order_id, x:var1).
const varNamePattern = /^x:[a-z0-9_]{1,64}$/;

function invalidArgument(argumentName: string, message: string): OssError {
  return new OssError('InvalidArgument', { message, extra: [['ArgumentName', argumentName]] });
}

/** `{ "x:name": value }` in a stable order, upload id first; throws on bad names or a reserved one. */
export function buildTicketVars(
  uploadId: string,
  extra: Readonly<Record<string, string>> = {},
): Array<[string, string]> {
  const vars: Array<[string, string]> = [[uploadIdVar, uploadId]];
  for (const [rawName, value] of Object.entries(extra)) {
    const name = rawName.startsWith('x:') ? rawName : `x:${rawName}`;
    if (!varNamePattern.test(name))
      throw invalidArgument('callback.vars', `Invalid callback variable name ${JSON.stringify(rawName)}.`);
    if (vars.some(([existing]) => existing === name)) {
      throw invalidArgument('callback.vars', `The callback variable ${name} is reserved or repeated.`);
    }
    if (typeof value !== 'string')
      throw invalidArgument('callback.vars', `The callback variable ${name} must be a string.`);
    vars.push([name, value]);
  }
  return vars;
}

/**
 * The callbackBody template. Only fixed member names and validated `x:` names are written into it, and
 * every value is a `${…}` placeholder that OSS substitutes with its own escaping (§8.5) — nothing from
 * the request is ever pasted into the template (threats §B2, §B12).
 */
export function renderCallbackBodyTemplate(bodyType: CallbackBodyType, varNames: readonly string[]): string {
  const custom = varNames.map((name) => [name, name as CallbackVariableName] as const);
  if (bodyType === 'application/x-www-form-urlencoded') {
    const members = [
      ...systemMembers,
      ['uploadId', uploadIdVar] as const,
      ...custom.filter(([n]) => n !== uploadIdVar),
    ];
    return members.map(([name, variable]) => `${name}=\${${variable}}`).join('&');
  }
  const plain = (name: string, variable: string): string => `${JSON.stringify(name)}:\${${variable}}`;
  const members = [
    ...['bucket', 'object', 'etag', 'size', 'mimeType', 'contentMd5', 'clientIp', 'reqId', 'operation'].map(
      (n) => plain(n, n),
    ),
    // Inside one string, so a non-image upload (empty values) still yields valid JSON (Cloudreve's form, §8.5).
    `"imageSize":"\${imageInfo.width}x\${imageInfo.height}"`,
    plain('uploadId', uploadIdVar),
    ...custom.filter(([n]) => n !== uploadIdVar).map(([name]) => plain(name, name)),
  ];
  return `{${members.join(',')}}`;
}

/** Base64 of the callback JSON (JSON.stringify, never a template), validated with the server's own parser. */
export function buildTicketCallbackParam(
  options: TicketCallbackOptions,
  varNames: readonly string[],
): string {
  const urls = typeof options.urls === 'string' ? [options.urls] : [...options.urls];
  if (urls.length === 0 || urls.some((url) => url.includes(';'))) {
    throw invalidArgument('callback.urls', 'Give 1–5 callback URLs, each without ";".');
  }
  const bodyType = options.bodyType ?? 'application/x-www-form-urlencoded';
  const json = JSON.stringify({
    callbackUrl: urls.join(';'),
    ...(options.host === undefined ? {} : { callbackHost: options.host }),
    callbackBody: renderCallbackBodyTemplate(bodyType, varNames),
    callbackBodyType: bodyType,
    ...(options.sni === true ? { callbackSNI: true } : {}),
  });
  const base64 = Buffer.from(json, 'utf8').toString('base64');
  parseCallbackParam(base64); // throws OssError InvalidArgument exactly as OSS would refuse the upload (§8.6)
  return base64;
}
