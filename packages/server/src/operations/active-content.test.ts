import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildAttachmentDisposition, isActiveContentType } from './active-content.js';

describe('isActiveContentType (threats §C2.26)', () => {
  it('recognises HTML, SVG, XML, XSL, JavaScript, PDF and Flash, with parameters and in any case', () => {
    for (const type of [
      'text/html',
      'Text/HTML; charset=utf-8',
      'image/svg+xml',
      'application/xhtml+xml',
      'text/xml',
      'application/xml',
      'application/rss+xml',
      'text/xsl',
      'application/javascript',
      'text/javascript; charset=utf-8',
      'application/pdf',
      'application/x-shockwave-flash',
      ' text/html ',
    ]) {
      assert.equal(isActiveContentType(type), true, type);
    }
  });

  it('leaves passive types alone', () => {
    for (const type of [
      'image/png',
      'image/jpeg',
      'text/plain',
      'application/json',
      'application/octet-stream',
      'video/mp4',
      '',
    ]) {
      assert.equal(isActiveContentType(type), false, type);
    }
  });
});

describe('buildAttachmentDisposition', () => {
  it('turns inline or nothing into attachment, keeping the file name parameters', () => {
    assert.equal(buildAttachmentDisposition(undefined), 'attachment');
    assert.equal(buildAttachmentDisposition('inline'), 'attachment');
    assert.equal(buildAttachmentDisposition('INLINE; filename="a.html"'), 'attachment; filename="a.html"');
    assert.equal(buildAttachmentDisposition('evil; filename=x.svg'), 'attachment; filename=x.svg');
  });

  it('keeps a stored attachment disposition as it is', () => {
    assert.equal(
      buildAttachmentDisposition('Attachment; filename="r.html"'),
      'Attachment; filename="r.html"',
    );
  });
});
