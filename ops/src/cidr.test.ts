import { describe, expect, test } from 'bun:test'
import { cidrContains, CidrError, normalizeCidr, parseCidr, sameCidr } from './cidr.ts'

describe('normalizeCidr', () => {
  test.each([
    ['203.0.113.7', '203.0.113.7/32'],
    [' 203.0.113.7 ', '203.0.113.7/32'],
    ['203.0.113.0/24', '203.0.113.0/24'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['2001:db8::1', '2001:db8::1/128'],
    ['2001:DB8:0:0:0:0:0:0/32', '2001:db8::/32'],
    ['2606:4700::/32', '2606:4700::/32'],
    ['::ffff:192.0.2.1', '::ffff:c000:201/128'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1/128'],
  ])('%s -> %s', (input, out) => {
    expect(normalizeCidr(input)).toBe(out)
  })

  test.each([
    ['', 'is not an IPv4 or IPv6 address'],
    ['example.com', 'is not an IPv4 or IPv6 address'],
    ['256.1.1.1', 'is not an IPv4 or IPv6 address'],
    ['1.2.3', 'is not an IPv4 or IPv6 address'],
    ['01.2.3.4', 'is not an IPv4 or IPv6 address'],
    ['1.2.3.4/33', 'is not a valid IPv4 prefix length (0 to 32)'],
    ['1.2.3.4/-1', 'is not a valid IPv4 prefix length'],
    ['1.2.3.4/24', 'has host bits set; the network is 1.2.3.0/24'],
    ['1.2.3.4/32/1', 'more than one "/"'],
    ['2001:db8::1::2', 'is not an IPv4 or IPv6 address'],
    ['2001:db8:1:2:3:4:5:6:7', 'is not an IPv4 or IPv6 address'],
    ['2001:db8::/129', 'is not a valid IPv6 prefix length (0 to 128)'],
    ['2001:db8::1/64', 'has host bits set; the network is 2001:db8::/64'],
  ])('refuses %p (%s)', (input, message) => {
    expect(() => normalizeCidr(input)).toThrow(CidrError)
    expect(() => normalizeCidr(input)).toThrow(message)
  })
})

describe('cidrContains', () => {
  test.each([
    ['104.16.0.0/13', '104.18.32.7', true],
    ['104.16.0.0/13', '104.24.0.1', false],
    ['2606:4700::/32', '2606:4700:3030::6815:1', true],
    ['2606:4700::/32', '104.16.0.1', false],
    ['203.0.113.7/32', '203.0.113.7', true],
    ['203.0.113.7/32', 'not-an-ip', false],
  ])('%s contains %s: %p', (cidr, ip, expected) => {
    expect(cidrContains(parseCidr(cidr), ip)).toBe(expected)
  })
})

test('sameCidr compares networks, not spellings', () => {
  expect([sameCidr('2001:DB8::/32', '2001:db8:0::/32'), sameCidr('1.2.3.4/32', '1.2.3.4'), sameCidr('1.2.3.4/32', 'x')]).toEqual([true, true, false])
})
