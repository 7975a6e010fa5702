import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { imageSize } from 'image-size';
import { buildTestPng } from '../operations/post-object/testing/build-test-png.js';
import { readImageInfo } from './read-image-info.js';

describe('readImageInfo', () => {
  it('reads width, height and a lower-case format from the first bytes of a PNG', () => {
    assert.deepEqual(readImageInfo(buildTestPng(640, 480)), { width: 640, height: 480, format: 'png' });
    assert.deepEqual(readImageInfo(buildTestPng(3, 2).subarray(0, 33)), {
      width: 3,
      height: 2,
      format: 'png',
    });
  });

  it('reports no image for text, empty input or a truncated header', () => {
    assert.equal(readImageInfo(Buffer.from('hello, world')), undefined);
    assert.equal(readImageInfo(Buffer.alloc(0)), undefined);
    assert.equal(readImageInfo(buildTestPng(3, 2).subarray(0, 12)), undefined);
  });

  it('does not report formats outside the raster set OSS handles, such as SVG', () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="20"></svg>');
    assert.equal(readImageInfo(svg), undefined);
  });

  it('agrees with asking image-size directly on images, near-images and noise', () => {
    const direct = (head: Uint8Array): unknown => {
      if (head.length === 0) return undefined;
      try {
        const { width, height, type } = imageSize(head);
        const oss = ['jpg', 'png', 'gif', 'bmp', 'webp', 'tiff', 'heif'];
        return type !== undefined && oss.includes(type) ? { width, height, format: type } : undefined;
      } catch {
        return undefined;
      }
    };
    const gif = Buffer.from([...Buffer.from('GIF89a'), 7, 0, 5, 0, ...new Array<number>(20).fill(0)]);
    const bmp = Buffer.alloc(64);
    bmp.write('BM', 0, 'latin1');
    bmp.writeUInt32LE(9, 18);
    bmp.writeInt32LE(-4, 22);
    const prefixes = [
      'BM',
      'GIF89a',
      'GIF87a',
      '\xff\xd8\xff\xe0',
      '\x89PNG\r\n\x1a\n',
      'RIFF',
      'II*\x00',
      'MM\x00*',
    ];
    const samples: Buffer[] = [gif, bmp, buildTestPng(5, 6), Buffer.from('<svg/>'), Buffer.alloc(3)];
    for (let i = 0; i < 200; i++) {
      const noise = randomBytes(1 + (i % 64));
      samples.push(noise, Buffer.concat([Buffer.from(prefixes[i % prefixes.length]!, 'latin1'), noise]));
      samples.push(Buffer.concat([noise.subarray(0, 4), Buffer.from('ftypheic'), noise]));
    }
    assert.deepEqual(readImageInfo(gif), { width: 7, height: 5, format: 'gif' });
    assert.deepEqual(readImageInfo(bmp), { width: 9, height: 4, format: 'bmp' });
    for (const sample of samples)
      assert.deepEqual(readImageInfo(sample), direct(sample), sample.toString('hex'));
  });
});
