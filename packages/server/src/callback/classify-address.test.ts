import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAddress, isPublicAddress } from './classify-address.js';

describe('classifyAddress', () => {
  it('classifies the IPv4 ranges a public-only server must refuse', () => {
    const cases: Array<[string, string]> = [
      ['0.0.0.0', 'unspecified'],
      ['0.1.2.3', 'unspecified'],
      ['10.0.0.1', 'private'],
      ['10.255.255.255', 'private'],
      ['100.64.0.1', 'shared'],
      ['100.100.100.200', 'shared'],
      ['100.127.255.255', 'shared'],
      ['127.0.0.1', 'loopback'],
      ['127.255.255.254', 'loopback'],
      ['169.254.169.254', 'link-local'],
      ['169.254.170.2', 'link-local'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['192.0.2.10', 'reserved'],
      ['198.18.0.1', 'reserved'],
      ['224.0.0.1', 'multicast'],
      ['239.255.255.250', 'multicast'],
      ['240.0.0.1', 'reserved'],
      ['255.255.255.255', 'reserved'],
    ];
    for (const [address, expected] of cases) assert.equal(classifyAddress(address), expected, address);
  });

  it('treats the neighbours of every refused IPv4 range as public', () => {
    for (const address of [
      '1.1.1.1',
      '8.8.8.8',
      '100.63.255.255',
      '100.128.0.0',
      '172.15.255.255',
      '172.32.0.0',
    ]) {
      assert.equal(classifyAddress(address), 'public', address);
    }
    for (const address of [
      '169.253.255.255',
      '169.255.0.0',
      '192.167.255.255',
      '192.169.0.0',
      '223.255.255.255',
    ]) {
      assert.equal(classifyAddress(address), 'public', address);
    }
  });

  it('refuses non-canonical IPv4 spellings instead of guessing what they mean', () => {
    for (const address of [
      '0x7f.1',
      '2130706433',
      '127.1',
      '0177.0.0.1',
      '127.000.000.001',
      '01200034567',
      '',
    ]) {
      assert.equal(classifyAddress(address), 'invalid', address);
    }
  });

  it('classifies IPv6 loopback, unspecified, unique-local, link-local, multicast and documentation ranges', () => {
    const cases: Array<[string, string]> = [
      ['::1', 'loopback'],
      ['0:0:0:0:0:0:0:1', 'loopback'],
      ['000:0:0000::01', 'loopback'],
      ['::', 'unspecified'],
      ['fc00::1', 'unique-local'],
      ['fd00:ec2::254', 'unique-local'],
      ['fe80::1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
      ['febf::1', 'link-local'],
      ['fec0::1', 'reserved'],
      ['ff02::1', 'multicast'],
      ['2001:db8::1', 'reserved'],
      ['::2', 'reserved'],
      ['100::1', 'reserved'],
    ];
    for (const [address, expected] of cases) assert.equal(classifyAddress(address), expected, address);
  });

  it('looks through IPv4-mapped IPv6 addresses and refuses even mapped public ones', () => {
    assert.equal(classifyAddress('::ffff:127.0.0.1'), 'loopback');
    assert.equal(classifyAddress('::fFFf:127.0.0.1'), 'loopback');
    assert.equal(classifyAddress('::ffff:7f00:1'), 'loopback');
    assert.equal(classifyAddress('::ffff:169.254.169.254'), 'link-local');
    assert.equal(classifyAddress('::ffff:10.1.2.3'), 'private');
    assert.equal(classifyAddress('::ffff:8.8.8.8'), 'ipv4-mapped');
    assert.equal(classifyAddress('::127.0.0.1'), 'reserved');
  });

  it('refuses IPv6 prefixes that embed an IPv4 destination (NAT64, Teredo, 6to4)', () => {
    for (const address of [
      '64:ff9b::7f00:1',
      '64:ff9b::127.0.0.1',
      '64:ff9b:1::1',
      '2001::1',
      '2002:7f00:1::1',
    ]) {
      assert.equal(classifyAddress(address), 'ipv4-embedding', address);
    }
  });

  it('accepts global unicast IPv6 addresses', () => {
    for (const address of ['2400:3200::1', '2606:4700:4700::1111', '2a00:1450:4001:82a::200e']) {
      assert.equal(classifyAddress(address), 'public', address);
    }
  });

  it('rejects text that is not an IP literal', () => {
    for (const address of ['localhost', 'example.com', '[::1]', '1.2.3.4.5', '::ffff:1.2.3', 'gggg::1']) {
      assert.equal(classifyAddress(address), 'invalid', address);
    }
  });

  it('isPublicAddress is true only for the public class', () => {
    assert.equal(isPublicAddress('8.8.8.8'), true);
    assert.equal(isPublicAddress('127.0.0.1'), false);
    assert.equal(isPublicAddress('::ffff:8.8.8.8'), false);
    assert.equal(isPublicAddress('nonsense'), false);
  });
});
