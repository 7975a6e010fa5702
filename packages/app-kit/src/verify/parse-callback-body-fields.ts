// The members of a callback body (§8.4 system variables, the ticket's `x:` variables, §8.2) gathered
// while the body is read: one slot per member parseCallbackBody uses, so the mapping to a
// VerifiedCallback reads fields instead of doing a lookup per member (scenario 4: every callback).

/** A body's members: `raw` holds all of them, the slots the known ones (as text), `vars` the `x:` ones. */
export class CallbackBodyFields {
  bucket: string | undefined = undefined;
  object: string | undefined = undefined;
  etag: string | undefined = undefined;
  size: string | undefined = undefined;
  mimeType: string | undefined = undefined;
  uploadId: string | undefined = undefined;
  /** The `x:upload_id` variable: where tickets without an `uploadId` member carry their id (§8.2). */
  xUploadId: string | undefined = undefined;
  /** JSON tickets' packed `<width>x<height>` (§8.5). */
  imageSize: string | undefined = undefined;
  imageHeight: string | undefined = undefined;
  imageWidth: string | undefined = undefined;
  imageFormat: string | undefined = undefined;
  crc64: string | undefined = undefined;
  contentMd5: string | undefined = undefined;
  clientIp: string | undefined = undefined;
  reqId: string | undefined = undefined;
  operation: string | undefined = undefined;
  vpcId: string | undefined = undefined;
  /** Every `x:` member, in body order. */
  readonly vars: Record<string, string> = {};

  /** Every member of the body as parsed; filled by the caller. */
  constructor(readonly raw: Record<string, unknown>) {}
}

/** Like Object.fromEntries: a member named `__proto__` is an own property, never the prototype. */
export function defineMember(target: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__')
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

/**
 * Records one scalar member's text in its slot. For a known member, returns its name as a string
 * literal: an interned key makes the store into `raw` much cheaper than the freshly sliced name
 * (scenario 4), and null when its slot was already set (a repeat). Undefined for any other member: the
 * caller checks those against `raw`.
 */
export function setCallbackBodyField(
  fields: CallbackBodyFields,
  name: string,
  value: string,
): string | null | undefined {
  switch (name) {
    case 'bucket':
      if (fields.bucket !== undefined) return null;
      fields.bucket = value;
      return 'bucket';
    case 'object':
      if (fields.object !== undefined) return null;
      fields.object = value;
      return 'object';
    case 'etag':
      if (fields.etag !== undefined) return null;
      fields.etag = value;
      return 'etag';
    case 'size':
      if (fields.size !== undefined) return null;
      fields.size = value;
      return 'size';
    case 'mimeType':
      if (fields.mimeType !== undefined) return null;
      fields.mimeType = value;
      return 'mimeType';
    case 'uploadId':
      if (fields.uploadId !== undefined) return null;
      fields.uploadId = value;
      return 'uploadId';
    case 'x:upload_id':
      if (fields.xUploadId !== undefined) return null;
      fields.xUploadId = value;
      fields.vars['x:upload_id'] = value;
      return 'x:upload_id';
    default:
      return setOtherField(fields, name, value);
  }
}

/** The members OSS sends only for some objects or some tickets, and the other `x:` variables. */
function setOtherField(fields: CallbackBodyFields, name: string, value: string): string | null | undefined {
  switch (name) {
    case 'imageSize':
      if (fields.imageSize !== undefined) return null;
      fields.imageSize = value;
      return 'imageSize';
    case 'imageInfo.height':
      if (fields.imageHeight !== undefined) return null;
      fields.imageHeight = value;
      return 'imageInfo.height';
    case 'imageInfo.width':
      if (fields.imageWidth !== undefined) return null;
      fields.imageWidth = value;
      return 'imageInfo.width';
    case 'imageInfo.format':
      if (fields.imageFormat !== undefined) return null;
      fields.imageFormat = value;
      return 'imageInfo.format';
    case 'crc64':
      if (fields.crc64 !== undefined) return null;
      fields.crc64 = value;
      return 'crc64';
    case 'contentMd5':
      if (fields.contentMd5 !== undefined) return null;
      fields.contentMd5 = value;
      return 'contentMd5';
    case 'clientIp':
      if (fields.clientIp !== undefined) return null;
      fields.clientIp = value;
      return 'clientIp';
    case 'reqId':
      if (fields.reqId !== undefined) return null;
      fields.reqId = value;
      return 'reqId';
    case 'operation':
      if (fields.operation !== undefined) return null;
      fields.operation = value;
      return 'operation';
    case 'vpcId':
      if (fields.vpcId !== undefined) return null;
      fields.vpcId = value;
      return 'vpcId';
  }
  if (name.startsWith('x:')) fields.vars[name] = value;
  return undefined;
}
