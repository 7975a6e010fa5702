// Scenario 6: 1 GiB via ali-oss multipartUpload (parallel 4) against one PutObject of the same file.
// Multipart upload is not implemented in the server yet: the bench probes `POST /<bucket>/<key>?uploads`
// and reports the scenario as pending until the server answers it with an upload id.
import { curlRequest } from './lib/curl.js';
import { startUpcall } from './lib/bench-servers.js';

export async function runBench(): Promise<{
  title: string;
  rows: Array<Record<string, string>>;
  notes: string[];
}> {
  const upcall = await startUpcall('upcall-multipart', { BENCH_BUCKET_ACL: 'public-read-write' });
  try {
    const probe = await curlRequest(
      'POST',
      `${upcall.info.url}/${upcall.info.bucket}/probe/multipart.bin?uploads`,
    );
    const supported = probe.body.includes('<UploadId>');
    return {
      title: 'Scenario 6: 1 GiB multipart upload (ali-oss, parallel 4) vs one PutObject',
      rows: [
        {
          probe: 'POST /<bucket>/<key>?uploads',
          status: String(probe.status),
          result: supported ? 'supported' : 'not supported',
        },
      ],
      notes: [
        supported
          ? 'Multipart is answered by the server now; the timed ali-oss run is not written yet (pending bench code).'
          : 'PENDING — InitiateMultipartUpload is not implemented yet; scenario 6 has no figures in this run.',
      ],
    };
  } finally {
    await upcall.stop();
  }
}
