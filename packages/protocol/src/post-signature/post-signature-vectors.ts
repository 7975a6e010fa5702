// Loads test/vectors/post-policy-signatures.json for the signature tests (not part of the public API).
import { readFileSync } from 'node:fs';

interface VectorBase {
  readonly id: string;
  readonly accessKeySecret: string;
  readonly policyJson: string;
  readonly policyBase64: string;
}

export interface V1PostVector extends VectorBase {
  readonly version: 'v1';
  readonly expected: { readonly Signature: string };
}

export interface V4PostVector extends VectorBase {
  readonly version: 'v4';
  readonly accessKeyId: string;
  readonly region: string;
  readonly 'x-oss-date': string;
  readonly 'x-oss-credential': string;
  readonly expected: { readonly 'x-oss-signature': string };
}

export type PostVector = V1PostVector | V4PostVector;

export const postVectors: readonly PostVector[] = (
  JSON.parse(
    readFileSync(new URL('../../../../test/vectors/post-policy-signatures.json', import.meta.url), 'utf8'),
  ) as { vectors: PostVector[] }
).vectors;
