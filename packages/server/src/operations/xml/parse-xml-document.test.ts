import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OssError } from '@upcall/protocol';
import { decodeXmlText, findChildren, parseXmlDocument, readChildText } from './parse-xml-document.js';

const isMalformed = (error: unknown): boolean => error instanceof OssError && error.code === 'MalformedXML';

describe('parseXmlDocument', () => {
  it('reads nested elements in document order, pretty-printed or not, keeping text whitespace', () => {
    const root = parseXmlDocument(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Delete>\n  <Quiet>true</Quiet>\n  <Object><Key> a </Key></Object>\n' +
        '  <Object>\n    <Key>b</Key>\n  </Object>\n</Delete>',
      'Delete',
    );
    assert.equal(readChildText(root, 'Quiet'), 'true');
    assert.deepEqual(
      findChildren(root, 'Object').map((o) => readChildText(o, 'Key')),
      [' a ', 'b'],
    );
  });

  it('decodes the five predefined entities, character references and CDATA', () => {
    const root = parseXmlDocument(
      '<R><K>a&amp;b&lt;c&gt;&quot;&apos;&#39;&#x41;&#233;</K><C><![CDATA[x<&y]]></C></R>',
      'R',
    );
    assert.equal(readChildText(root, 'K'), "a&b<c>\"''Aé");
    assert.equal(readChildText(root, 'C'), 'x<&y');
  });

  it('refuses DOCTYPEs, entity declarations, external entities and billion laughs as MalformedXML', () => {
    const hostile = [
      '<?xml version="1.0"?><!DOCTYPE R [<!ENTITY x "y">]><R>&x;</R>',
      '<?xml version="1.0"?><!DOCTYPE R SYSTEM "file:///etc/passwd"><R/>',
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><R>&lol2;</R>',
      '<!doctype R><R/>',
    ];
    for (const doc of hostile) assert.throws(() => parseXmlDocument(doc, 'R'), isMalformed, doc);
  });

  it('refuses undefined entities, bare ampersands, forbidden characters, broken and foreign documents', () => {
    const bad = [
      '<R>&nbsp;</R>',
      '<R>a & b</R>',
      '<R>&#1;</R>',
      '<R><K></R>',
      '<Other/>',
      '<R/><R/>',
      'not xml',
    ];
    for (const doc of bad) assert.throws(() => parseXmlDocument(doc, 'R'), isMalformed, doc);
  });

  it('refuses a repeated single-valued child', () => {
    const root = parseXmlDocument('<R><Quiet>a</Quiet><Quiet>b</Quiet></R>', 'R');
    assert.throws(() => readChildText(root, 'Quiet'), isMalformed);
  });

  it('decodeXmlText leaves plain text alone', () => {
    assert.equal(decodeXmlText('plain text / 100%'), 'plain text / 100%');
  });
});
