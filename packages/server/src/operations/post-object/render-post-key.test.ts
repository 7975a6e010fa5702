import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFilenameBase, renderPostKey } from './render-post-key.js';

describe('renderPostKey', () => {
  it('replaces every ${filename} with the base name of the file part name', () => {
    assert.equal(renderPostKey('user/${filename}', 'photo.jpg'), 'user/photo.jpg');
    assert.equal(renderPostKey('${filename}/${filename}', 'a.txt'), 'a.txt/a.txt');
  });

  it('drops directories written with / or \\ so ../ cannot climb out of the prefix', () => {
    assert.equal(renderPostKey('user/alice/${filename}', '../../x'), 'user/alice/x');
    assert.equal(renderPostKey('u/${filename}', 'C:\\Users\\me\\a.png'), 'u/a.png');
    assert.equal(renderPostKey('u/${filename}', 'a/b\\c/d.txt'), 'u/d.txt');
  });

  it('keeps the template literally when there is no usable base name', () => {
    for (const filename of [undefined, '', '.', '..', 'dir/', 'dir\\']) {
      assert.equal(renderPostKey('u/${filename}', filename), 'u/${filename}', String(filename));
    }
  });

  it('leaves keys without the placeholder alone, whatever the filename', () => {
    assert.equal(renderPostKey('fixed/key', '../../etc/passwd'), 'fixed/key');
    assert.equal(renderPostKey('u/$filename', 'a'), 'u/$filename');
  });

  it('keeps unusual but legal names, quotes and non-ASCII included', () => {
    assert.equal(readFilenameBase('"quote".txt'), '"quote".txt');
    assert.equal(readFilenameBase('中文.png'), '中文.png');
    assert.equal(readFilenameBase('a\u0000b'), 'a\u0000b'); // refused later by key validation
  });
});
