// OSS reports every callback-parameter problem as 400 InvalidArgument with ArgumentName/ArgumentValue
// children, ArgumentValue carrying the decoded JSON when there is one (oss-protocol §8.6, D7 example).
import { OssError } from '../errors/index.js';

/** Throws the InvalidArgument for one callback problem; `ec` is undefined where OSS documents none. */
export type FailCallbackArgument = (ec: string | undefined, message: string) => never;

export function callbackArgumentFailer(argumentName: string, argumentValue: string): FailCallbackArgument {
  return (ec, message) => {
    throw new OssError('InvalidArgument', {
      message,
      ec,
      extra: [
        ['ArgumentName', argumentName],
        ['ArgumentValue', argumentValue],
      ],
    });
  };
}

/** EC codes from OSS's error-condition pages (D9); see docs/protocol-decisions.md "Callback". */
export const callbackEc = {
  notBase64: '0007-00000002',
  notJson: '0007-00000003',
  invalidUrl: '0007-00000004',
  tooManyUrls: '0007-00000005',
  invalidHost: '0007-00000009',
  /** INFERRED: the page for "callbackBody is not a string" shows no number; 0010 sits between 0009 and 0011. */
  invalidBody: '0007-00000010',
  emptyBody: '0007-00000011',
  invalidBodyType: '0007-00000012',
  varNotBase64: '0007-00000102',
  varNotJson: '0007-00000103',
  /** callback-var / callbackBody substitution errors ("Left brace must be adjacent to dollar sign."). */
  substitution: '0007-00000105',
} as const;

/** OSS's own wording for an undecodable callback JSON (D7) — reused for a JSON body template that is not JSON. */
export const notJsonMessage = 'The callback configuration is not json format.';
