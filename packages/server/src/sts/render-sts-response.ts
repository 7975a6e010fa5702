// STS response bodies in the requested Format (RPC: JSON or XML; XML when absent, as the RPC gateway
// does). Success: {RequestId, AssumedRoleUser:{Arn, AssumedRoleId}, Credentials:{SecurityToken,
// AccessKeyId, AccessKeySecret, Expiration}}; errors: {RequestId, HostId, Code, Message}.
import { encodeXmlText } from '@upcall/protocol';
import type { AssumeRoleResult } from './assume-role.js';

export type StsFormat = 'JSON' | 'XML';

export interface RenderedBody {
  readonly contentType: string;
  readonly body: string;
}

export function readStsFormat(params: ReadonlyMap<string, string> | undefined): StsFormat {
  return params?.get('Format')?.toUpperCase() === 'JSON' ? 'JSON' : 'XML';
}

type Tree = { readonly [name: string]: string | Tree };

function renderXmlTree(tree: Tree): string {
  return Object.entries(tree)
    .map(
      ([name, value]) =>
        `<${name}>${typeof value === 'string' ? encodeXmlText(value) : renderXmlTree(value)}</${name}>`,
    )
    .join('');
}

function render(root: string, tree: Tree, format: StsFormat): RenderedBody {
  if (format === 'JSON') return { contentType: 'application/json;charset=utf-8', body: JSON.stringify(tree) };
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<${root}>${renderXmlTree(tree)}</${root}>`;
  return { contentType: 'text/xml;charset=utf-8', body };
}

export function renderAssumeRoleResponse(
  result: AssumeRoleResult,
  requestId: string,
  format: StsFormat,
): RenderedBody {
  const { assumedRoleUser: user, credentials: c } = result;
  const tree: Tree = {
    RequestId: requestId,
    AssumedRoleUser: { Arn: user.arn, AssumedRoleId: user.assumedRoleId },
    Credentials: {
      SecurityToken: c.securityToken,
      AccessKeyId: c.accessKeyId,
      AccessKeySecret: c.accessKeySecret,
      Expiration: c.expiration,
    },
  };
  return render('AssumeRoleResponse', tree, format);
}

export interface StsErrorBody {
  readonly requestId: string;
  readonly hostId: string;
  readonly code: string;
  readonly message: string;
}

export function renderStsError(error: StsErrorBody, format: StsFormat): RenderedBody {
  const tree: Tree = {
    RequestId: error.requestId,
    HostId: error.hostId,
    Code: error.code,
    Message: error.message,
  };
  return render('Error', tree, format);
}
