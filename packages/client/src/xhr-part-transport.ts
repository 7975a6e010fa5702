// Part PUTs over XMLHttpRequest (live upload progress). The upload listener makes every PUT preflighted;
// storage's CORS rule must allow PUT from the page's origin and expose ETag (oss-protocol §12).
import type { PartTransport } from './part-transport.js';
import { sendXhr } from './xhr-transport.js';

/** The default part transport in browsers. */
export const xhrPartTransport: PartTransport = {
  put: (request) => sendXhr({ ...request, method: 'PUT' }),
};
