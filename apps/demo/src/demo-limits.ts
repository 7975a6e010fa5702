// The upload limits of the demo: the ONE place they are defined. The ticket route signs them into every
// POST policy (content-length-range and `in $content-type`, oss-protocol §4.3) and the page shows the same
// object to the user, so what the page says is what storage enforces.
export interface DemoLimits {
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
