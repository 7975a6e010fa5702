import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
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
});
