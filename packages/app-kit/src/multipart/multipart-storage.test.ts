import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildStorageUrl, type MultipartStorage } from './multipart-storage.js';

const base: MultipartStorage = {
  endpoint: 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com/',
  bucket: 'examplebucket',
  region: 'cn-hangzhou',
  credentials: { accessKeyId: 'AK', accessKeySecret: 'SK' },
};

describe('buildStorageUrl', () => {
  it('addresses a virtual-hosted endpoint without the bucket in the path (real OSS)', () => {
    assert.equal(
      buildStorageUrl(base, "uploads/a b/(x)!'*.mp4", [['uploads', '']]),
      'https://examplebucket.oss-cn-hangzhou.aliyuncs.com/uploads/a%20b/%28x%29%21%27%2A.mp4?uploads',
    );
  });

  it('puts the bucket in the path for a path-style endpoint (Upcall on an IP) and encodes query values', () => {
    const storage = { ...base, endpoint: 'http://127.0.0.1:9000', pathStyle: true };
    assert.equal(
      buildStorageUrl(storage, 'k', [
        ['uploadId', 'a+b/c='],
        ['part-number-marker', '0'],
      ]),
      'http://127.0.0.1:9000/examplebucket/k?uploadId=a%2Bb%2Fc%3D&part-number-marker=0',
    );
  });
});
