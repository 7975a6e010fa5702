// Planning the backend parts of an object assembled from byte ranges of other backend objects (OSS parts
// at CompleteMultipartUpload, or a staged body published under a condition). S3 wants every part but the
// last to be ≥ 5 MiB and ≤ 5 GiB, at most 10 000 parts; OSS parts may be 100 KiB (oss-protocol §8). A
// long enough range is copied inside the backend (UploadPartCopy: no bytes through the gateway); short
// ones are streamed through the gateway, concatenated into parts of about `streamPartBytes`.

/** An inclusive byte range of a backend object. */
export interface Segment {
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

export type PlannedPart =
  | { readonly kind: 'copy'; readonly segment: Segment; readonly size: number }
  | { readonly kind: 'stream'; readonly segments: readonly Segment[]; readonly size: number };

export interface AssemblePlanLimits {
  readonly minPartBytes: number;
  readonly streamPartBytes: number;
  readonly maxPartBytes: number;
  readonly maxParts: number;
}

export const segmentBytes = (segment: Segment): number => segment.end - segment.start + 1;

function slice(segment: Segment, offset: number, length: number): Segment {
  return { key: segment.key, start: segment.start + offset, end: segment.start + offset + length - 1 };
}

/** A copyable range split into equal pieces ≤ maxPartBytes (each stays ≥ minPartBytes). */
function copyParts(segment: Segment, limits: AssemblePlanLimits): PlannedPart[] {
  const total = segmentBytes(segment);
  const count = Math.ceil(total / limits.maxPartBytes);
  const parts: PlannedPart[] = [];
  for (let i = 0, offset = 0; i < count; i += 1) {
    const size = Math.floor(total / count) + (i < total % count ? 1 : 0);
    parts.push({ kind: 'copy', segment: slice(segment, offset, size), size });
    offset += size;
  }
  return parts;
}

class StreamGroup {
  segments: Segment[] = [];
  size = 0;

  add(segment: Segment): void {
    this.segments.push(segment);
    this.size += segmentBytes(segment);
  }

  flushInto(parts: PlannedPart[]): void {
    if (this.size > 0) parts.push({ kind: 'stream', segments: this.segments, size: this.size });
    this.segments = [];
    this.size = 0;
  }
}

function planWith(segments: readonly Segment[], limits: AssemblePlanLimits, copy: boolean): PlannedPart[] {
  const parts: PlannedPart[] = [];
  const group = new StreamGroup();
  for (const whole of segments) {
    let rest = whole;
    while (segmentBytes(rest) > 0) {
      const length = segmentBytes(rest);
      if (copy && group.size === 0 && length >= limits.minPartBytes) {
        parts.push(...copyParts(rest, limits));
        break;
      }
      // Top the group up to the minimum, then copy what is left if it is long enough on its own.
      const topUp = Math.max(0, limits.minPartBytes - group.size);
      if (copy && group.size > 0 && length - topUp >= limits.minPartBytes) {
        if (topUp > 0) group.add(slice(rest, 0, topUp));
        group.flushInto(parts);
        rest = slice(rest, topUp, length - topUp);
        continue;
      }
      const take = Math.min(length, limits.streamPartBytes - group.size);
      group.add(slice(rest, 0, take));
      if (group.size >= limits.streamPartBytes) group.flushInto(parts);
      rest = slice(rest, take, length - take);
    }
  }
  group.flushInto(parts);
  return parts;
}

/**
 * Backend parts for the concatenation of `segments` (empty segments ignored), in order. Falls back to
 * streaming everything in larger parts when copying would need more than `maxParts` parts. [] for an
 * empty object.
 */
export function planAssembly(segments: readonly Segment[], limits: AssemblePlanLimits): PlannedPart[] {
  const nonEmpty = segments.filter((segment) => segmentBytes(segment) > 0);
  const planned = planWith(nonEmpty, limits, true);
  if (planned.length <= limits.maxParts) return planned;
  const total = nonEmpty.reduce((sum, segment) => sum + segmentBytes(segment), 0);
  const streamPartBytes = Math.max(limits.streamPartBytes, Math.ceil(total / limits.maxParts));
  return planWith(nonEmpty, { ...limits, streamPartBytes }, false);
}
