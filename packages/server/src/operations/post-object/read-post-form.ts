// Streams a PostObject form with busboy (perf-notes §3a, §8) up to the start of the `file` part, then hands
// the file over as a stream (oss-protocol §3.2, §3.9 steps 1–2). Fields are stored under lower-case names
// (§3.3). Hostile-input rules (threats §B4, §C3): every busboy limit is explicit, nothing is buffered
// beyond the pre-file cap, the fields must arrive before a deadline, parts after the file are drained
// unbuffered, and no parser error escapes as an uncaught exception.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import busboy, { type Busboy, type FieldInfo, type FileInfo } from 'busboy';
import { OssError } from '@upcall/protocol';
import { checkFieldPart, checkFilePart } from './check-form-part.js';
import type { PostFormLimits } from './post-form-limits.js';
import { RequestBodyMeter } from './request-body-meter.js';
import { toPostFormError } from './to-post-form-error.js';

export interface PostFormFile {
  /** Fields received before the file, by lower-case name; values verbatim. */
  readonly fields: ReadonlyMap<string, string>;
  /** The file content. Nothing is read from it until the caller pipes it. */
  readonly stream: Readable;
  /** `filename` of the file part as sent (path kept; see render-post-key.ts), undefined if absent. */
  readonly filename: string | undefined;
  /** The file part's media type as busboy reports it (RFC 7578 default `text/plain` when absent). */
  readonly partContentType: string;
}

export interface PostFormReader {
  /** Resolves when the file part starts; rejects with an OssError. */
  readonly file: Promise<PostFormFile>;
  /** Resolves once the whole body is parsed; carries the body MD5 when it was asked for. */
  readonly finished: Promise<{ readonly bodyMd5Base64: string | undefined }>;
  /** Stops reading the request: the parser is torn down, the file stream destroyed. */
  destroy(): void;
}

interface Settleable<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function settleable<T>(): Settleable<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // observed by the caller later; never an unhandled rejection
  return { promise, resolve, reject };
}

function createParser(req: IncomingMessage, limits: PostFormLimits): Busboy {
  try {
    return busboy({
      headers: req.headers,
      preservePath: true, // the base name is our decision, not busboy's (render-post-key.ts)
      defCharset: 'utf8',
      defParamCharset: 'utf8', // browsers send file names as raw UTF-8
      highWaterMark: limits.streamHighWaterMarkBytes,
      fileHwm: limits.streamHighWaterMarkBytes,
      limits: {
        fieldNameSize: limits.maxFieldNameBytes, // not enforced by busboy for multipart: see check-form-part
        fieldSize: limits.maxFieldValueBytes,
        fields: limits.maxFields,
        files: 1,
        parts: limits.maxParts,
        headerPairs: limits.maxPartHeaderPairs, // busboy caps part headers at 16 KiB regardless
        fileSize: Number.MAX_SAFE_INTEGER, // content-length-range is enforced by limit-and-hash
      },
    });
  } catch (error) {
    throw new OssError('MalformedPOSTRequest', { cause: error });
  }
}

class PostFormSession {
  readonly file = settleable<PostFormFile>();
  readonly finished = settleable<{ bodyMd5Base64: string | undefined }>();
  readonly #req: IncomingMessage;
  readonly #limits: PostFormLimits;
  readonly #parser: Busboy;
  readonly #meter: RequestBodyMeter;
  readonly #fields = new Map<string, string>();
  readonly #deadline: NodeJS.Timeout;
  #fileStarted = false;
  #failed = false;

  constructor(req: IncomingMessage, limits: PostFormLimits, hashBody: boolean) {
    this.#req = req;
    this.#limits = limits;
    this.#parser = createParser(req, limits);
    this.#meter = new RequestBodyMeter({
      maxPreFileBytes: limits.maxPreFileBytes,
      hashBody,
      isFileStarted: () => this.#fileStarted,
      onTooMuchBeforeFile: (error) => this.fail(error),
    });
    const message = `The form fields before the file were not received within ${limits.preFileDeadlineMs} ms.`;
    this.#deadline = setTimeout(
      () => this.fail(new OssError('MalformedPOSTRequest', { message })),
      limits.preFileDeadlineMs,
    );
    this.#deadline.unref();
  }

  start(): void {
    this.#parser.on('field', this.#onField);
    this.#parser.on('file', this.#onFile);
    this.#parser.on('fieldsLimit', this.#onLimit);
    this.#parser.on('partsLimit', this.#onLimit);
    // busboy 1.6 *emits* 'Malformed part header' and keeps parsing the rest of the chunk, so a `file` part
    // in the same chunk is announced after the error; failing synchronously here makes #onFile refuse it.
    // (Through the pipeline's rejection alone the failure lands a tick later: the file was accepted, its
    // stream never ended, the request hung and its temp file stayed — found by src/fuzz/.)
    this.#parser.on('error', this.fail);
    this.#req.on('error', this.fail);
    this.#req.on('close', () => {
      if (!this.#req.complete)
        this.fail(new OssError('MalformedPOSTRequest', { message: 'The client closed the connection.' }));
    });
    // Straight into the parser, the meter watching beside it (request-body-meter.ts says why).
    this.#req.pipe(this.#parser);
    this.#meter.watch(this.#req);
    finished(this.#parser).then(this.#onParsed, this.fail);
  }

  readonly fail = (error: unknown): void => {
    if (this.#failed) return;
    this.#failed = true;
    clearTimeout(this.#deadline);
    const ossError = toPostFormError(error);
    this.file.reject(ossError);
    this.finished.reject(ossError);
    this.#req.unpipe(this.#parser);
    this.#meter.unwatch(this.#req);
    this.#parser.destroy();
  };

  readonly #onField = (name: string | undefined, value: string | undefined, info: FieldInfo): void => {
    try {
      const lower = checkFieldPart(this.#fields, name, info.valueTruncated, this.#limits);
      // busboy 1.6 reports `undefined` for a part charset it cannot decode (`charset=iso-8859-2`); every
      // later step assumes a string, so refuse here instead of failing as a 500 (found by src/fuzz/).
      if (value === undefined) {
        throw new OssError('MalformedPOSTRequest', {
          message: `The form field ${lower} declares a charset the server cannot decode.`,
        });
      }
      this.#fields.set(lower, value);
    } catch (error) {
      this.fail(error);
    }
  };

  readonly #onFile = (name: string | undefined, stream: Readable, info: FileInfo): void => {
    // busboy destroys the file stream with an error when the form is torn down or cut short; that error
    // reaches the caller through the pipeline consuming the stream, or is moot — never an uncaught 'error'.
    stream.on('error', () => undefined);
    if (this.#fileStarted || this.#failed) {
      stream.resume();
      return;
    }
    try {
      checkFilePart(this.#fields, name, this.#limits);
    } catch (error) {
      stream.resume();
      this.fail(error);
      return;
    }
    this.#fileStarted = true;
    clearTimeout(this.#deadline);
    // Parts after the file are not read (§3.2): with no 'field' listener busboy skips them unbuffered.
    this.#parser.removeListener('field', this.#onField);
    this.file.resolve({
      fields: this.#fields,
      stream,
      filename: info.filename,
      partContentType: info.mimeType,
    });
  };

  readonly #onLimit = (): void => {
    if (!this.#fileStarted) this.fail(new OssError('MaxPOSTPreDataLengthExceeded'));
  };

  readonly #onParsed = (): void => {
    clearTimeout(this.#deadline);
    if (!this.#fileStarted) this.fail(new OssError('IncorrectNumberOfFilesInPOSTRequest'));
    else this.finished.resolve({ bodyMd5Base64: this.#meter.bodyMd5Base64 });
  };
}

/** Starts reading `req` as a PostObject form. Only the envelope can throw here; later errors settle the promises. */
export function readPostForm(
  req: IncomingMessage,
  options: { limits: PostFormLimits; hashBody: boolean },
): PostFormReader {
  const session = new PostFormSession(req, options.limits, options.hashBody);
  session.start();
  return {
    file: session.file.promise,
    finished: session.finished.promise,
    destroy: () => session.fail(new Error('form reading stopped')),
  };
}
