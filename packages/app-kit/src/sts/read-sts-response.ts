// Reads an AssumeRole answer (JSON): Credentials on 2xx, StsRequestError with the STS Code, Message and
// RequestId otherwise.
export interface StsCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken: string;
  /** ISO-8601 UTC, e.g. `2024-05-01T12:15:00Z`. */
  readonly expiration: string;
}

export class StsRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | undefined,
  ) {
    super(`${code}: ${message}`);
    this.name = 'StsRequestError';
  }
}

const maxStsResponseChars = 64 * 1024;

function readString(record: unknown, name: string): string | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const value = (record as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export async function readStsResponse(response: Response): Promise<StsCredentials> {
  const text = await response.text();
  const body = text.length > maxStsResponseChars ? undefined : parseJson(text);
  const requestId = readString(body, 'RequestId');
  if (!response.ok) {
    const code = readString(body, 'Code') ?? 'UnknownError';
    throw new StsRequestError(
      response.status,
      code,
      readString(body, 'Message') ?? text.slice(0, 200),
      requestId,
    );
  }
  const c =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>).Credentials : undefined;
  const accessKeyId = readString(c, 'AccessKeyId');
  const accessKeySecret = readString(c, 'AccessKeySecret');
  const securityToken = readString(c, 'SecurityToken');
  const expiration = readString(c, 'Expiration');
  if (!accessKeyId || !accessKeySecret || !securityToken || !expiration) {
    throw new StsRequestError(
      response.status,
      'InvalidResponse',
      'The STS answer holds no Credentials.',
      requestId,
    );
  }
  return { accessKeyId, accessKeySecret, securityToken, expiration };
}
