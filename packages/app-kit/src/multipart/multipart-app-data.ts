// The record's appData for a multipart upload: the application's own members plus `upcallMultipart`,
// which holds what app-kit needs later and must never take from the browser — above all the OSS upload id
// (the UploadRecordStore interface stays as it is; docs/adr/0010).
export interface MultipartUploadInfo {
  readonly ossUploadId: string;
  readonly contentType: string;
  /** The size announced at start (completion checks the real one from ListParts). */
  readonly sizeBytes: number;
}

export const multipartAppDataMember = 'upcallMultipart';

export function buildMultipartAppData(
  appData: Readonly<Record<string, unknown>> | undefined,
  info: MultipartUploadInfo,
): string {
  return JSON.stringify({ ...(appData ?? {}), [multipartAppDataMember]: info });
}

/** The multipart info of a record's appData, or undefined when the record is not a multipart upload. */
export function readMultipartAppData(appData: string | null): MultipartUploadInfo | undefined {
  if (appData === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(appData);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const info = (parsed as Record<string, unknown>)[multipartAppDataMember];
  if (typeof info !== 'object' || info === null) return undefined;
  const { ossUploadId, contentType, sizeBytes } = info as Record<string, unknown>;
  if (typeof ossUploadId !== 'string' || typeof contentType !== 'string' || typeof sizeBytes !== 'number')
    return undefined;
  return { ossUploadId, contentType, sizeBytes };
}
