// The upload limits of the demo: the ONE place they are defined. The ticket route signs them into every
// POST policy (content-length-range and `in $content-type`, oss-protocol §4.3) and the page shows the same
// object to the user, so what the page says is what storage enforces.
export interface DemoLimits {
  readonly maxSizeBytes: number;
  readonly allowedContentTypes: readonly string[];
  /** Presigned multipart (docs/large-uploads.md); default defaultMultipartLimits. */
  readonly multipart?: MultipartLimits;
}

/**
 * Files above `thresholdBytes` go up as presigned multipart parts (resumable, pause/resume) instead of
 * one form POST; app-kit checks `maxSizeBytes` and the content type at start and the parts' real total
 * at completion.
 */
export interface MultipartLimits {
  readonly thresholdBytes: number;
  readonly maxSizeBytes: number;
  readonly allowedContentTypes: readonly string[];
}

/**
 * Images get thumbnails; SVG is left out on purpose: it is script-capable markup, and a presigned GET
 * would serve it from the storage origin (threats: stored XSS via uploaded content).
 */
export const defaultDemoLimits: DemoLimits = {
  maxSizeBytes: 20 * 1024 * 1024,
  allowedContentTypes: [
    'image/png',
    'image/jpeg',
    'image/gif',
    'image/webp',
    'text/plain',
    'application/pdf',
  ],
};

export const defaultMultipartLimits: MultipartLimits = {
  thresholdBytes: 64 * 1024 * 1024,
  maxSizeBytes: 10 * 1024 * 1024 * 1024,
  allowedContentTypes: [
    ...defaultDemoLimits.allowedContentTypes,
    'video/mp4',
    'video/webm',
    'application/zip',
    'application/octet-stream',
  ],
};

/** Without explicit multipart limits: the defaults, over the form types of `limits` plus the large-file ones. */
export function resolveMultipartLimits(limits: DemoLimits): MultipartLimits {
  if (limits.multipart !== undefined) return limits.multipart;
  const types = new Set([...limits.allowedContentTypes, ...defaultMultipartLimits.allowedContentTypes]);
  return { ...defaultMultipartLimits, allowedContentTypes: [...types] };
}

/** Types the page may show a thumbnail for (a presigned GET of the user's own confirmed object). */
export const thumbnailContentTypes: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
];

export function checkThumbnailType(mimeType: string | null): boolean {
  return mimeType !== null && thumbnailContentTypes.includes(mimeType.toLowerCase());
}
