import { describe, expect, test } from 'bun:test'
import { luhnValid } from './pii-patterns.ts'
import { piiDetector } from './pii.ts'

const pii = piiDetector({ name: 'pii' })
const found = (text: string) => pii.scan(text).map((f) => `${f.entity}:${text.slice(f.start, f.end)}`)

// Fake secrets are assembled at run time so no credential-shaped literal sits in the source.
const fake = (prefix: string, n: number) => prefix + 'Ab3'.repeat(Math.ceil(n / 3)).slice(0, n)
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' // AWS documentation example

describe('piiDetector finds', () => {
  test.each([
    ['EMAIL', 'write to bob.smith+news@example.co.uk today', 'bob.smith+news@example.co.uk'],
    ['PHONE in (415) 555-0132 form', 'call (415) 555-0132', '(415) 555-0132'],
    ['PHONE in 415-555-0132 form', 'call 415-555-0132.', '415-555-0132'],
    ['PHONE in +1 415 555 0132 form', 'call +1 415 555 0132', '+1 415 555 0132'],
    ['PHONE in E.164 form', 'call +442071838750', '+442071838750'],
    ['US_SSN', 'ssn 123-45-6789', '123-45-6789'],
    ['US_SSN with spaces', 'ssn 123 45 6789', '123 45 6789'],
    ['CREDIT_CARD with spaces', 'card 4111 1111 1111 1111 exp', '4111 1111 1111 1111'],
    ['CREDIT_CARD with dashes', 'card 5500-0000-0000-0004', '5500-0000-0000-0004'],
    ['CREDIT_CARD Amex 15 digits', 'amex 378282246310005', '378282246310005'],
    ['CREDIT_CARD in fullwidth digits', '４１１１１１１１１１１１１１１１', '４１１１１１１１１１１１１１１１'],
    ['IPV4', 'host 192.168.10.255:8080', '192.168.10.255'],
    ['IPV4 that looks like a bare version', 'release 1.2.3.4 is out', '1.2.3.4'],
    ['AWS_ACCESS_KEY_ID', 'id AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS_SECRET_ACCESS_KEY after aws_secret_access_key', `aws_secret_access_key = ${AWS_SECRET}`, AWS_SECRET],
    ['AWS_SECRET_ACCESS_KEY in JSON', `{"SecretAccessKey": "${AWS_SECRET}"}`, AWS_SECRET],
    ['API_KEY sk-', `key ${fake('sk-proj-', 40)}`, fake('sk-proj-', 40)],
    ['API_KEY pplx-', `key ${fake('pplx-', 40)}`, fake('pplx-', 40)],
    ['API_KEY ghp_', `token ${fake('ghp_', 36)}`, fake('ghp_', 36)],
    ['API_KEY xoxb-', `slack ${fake('xoxb-', 24)}`, fake('xoxb-', 24)],
    ['API_KEY after Bearer', `Authorization: Bearer ${fake('', 32)}`, fake('', 32)],
  ])('%s', (entity, text, value) => {
    expect(found(text)).toEqual([`${entity.split(' ')[0]}:${value}`])
  })
})

describe('piiDetector ignores', () => {
  test.each([
    ['a Luhn-invalid card number', 'card 4111 1111 1111 1112'],
    ['a 16-digit number outside card ranges', 'id 1234567890123452'],
    ['an SSN with area 9xx', '999-45-6789'],
    ['an SSN with area 000 or 666', '000-12-3456 666-12-3456'],
    ['an SSN with group 00 or serial 0000', '123-00-6789 123-45-0000'],
    ['an SSN with mixed separators', '123-45 6789'],
    ['a bare 10-digit run', 'order 4155550132'],
    ['a NANP number with an invalid area code', '123-555-0132'],
    ['a v-prefixed version', 'v1.2.3.4'],
    ['a five-part version', '1.2.3.4.5'],
    ['octets above 255 or with leading zeros', '256.1.1.1 01.02.03.04'],
    ['a lowercase AKIA-like word', 'akiaiosfodnn7example'],
    ['a 40-character secret without aws/secret context', `value ${AWS_SECRET}`],
    ['a 40-character lowercase hash after secret', 'secret: 5d41402abc4b2a76b9719d911017c5925d41402a'],
    ['a library name after sk-', 'pip install sk-learn-compatible-extensions-lib'],
    ['a Bearer word without digits', 'Bearer authentication-is-a-scheme-name'],
    ['an address without a dotted domain', 'bob@localhost'],
    ['homoglyph-disguised keys (PII is not folded)', 'АKIAIOSFODNN7EXAMPLE'],
  ])('%s', (_name, text) => {
    expect(found(text)).toEqual([])
  })
})

describe('piiDetector options and spans', () => {
  test('redacts with [REDACTED_<ENTITY>] by default', () => {
    expect(pii.scan('x bob@example.com')[0]).toEqual({
      detector: 'pii',
      entity: 'EMAIL',
      start: 2,
      end: 17,
      action: 'redact',
      replacement: '[REDACTED_EMAIL]',
    })
  })

  test('spans cover invisible characters inside the value', () => {
    const text = 'card 4111\u200b 1111 1111 1111!'
    const [f] = pii.scan(text)
    expect(text.slice(f!.start, f!.end)).toBe('4111\u200b 1111 1111 1111')
  })

  test('entities restricts detection and sets per-entity actions', () => {
    const d = piiDetector({ name: 'p', entities: { CREDIT_CARD: 'block' } })
    expect(d.scan('bob@example.com 4111111111111111').map((f) => [f.entity, f.action])).toEqual([['CREDIT_CARD', 'block']])
  })

  test('defaultAction applies to every entity when entities is omitted', () => {
    expect(piiDetector({ name: 'p', defaultAction: 'block' }).scan('10.0.0.1')[0]?.action).toBe('block')
  })

  test('rejects an unknown entity', () => {
    expect(() => piiDetector({ name: 'p', entities: { PASSPORT: 'redact' } as never })).toThrow("unknown entity 'PASSPORT'")
  })

  test('window covers the longest bounded pattern', () => {
    expect([pii.window, piiDetector({ name: 'p', entities: { US_SSN: 'redact' } }).window]).toEqual([224, 20])
  })

  test.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['79927398713', true],
  ])('luhnValid(%s) is %p', (digits, valid) => {
    expect(luhnValid(digits)).toBe(valid)
  })
})

describe('piiDetector holdFrom: where a value may still be pending', () => {
  test.each([
    ['nothing after prose ending in punctuation', 'Hello, how are you today?', 25],
    ['a trailing word, which may still be an e-mail local part', 'Hello, how are you today', 19],
    ['nothing after a number that cannot start a value', 'I am 25, thanks. ', 17],
    ['an e-mail local part and @', 'mail bob@', 5],
    ['an e-mail with zero-width characters inside', 'mail b\u200bob@exa', 5],
    ['an e-mail domain in progress', 'mail bob@example.co', 5],
    ['a whole e-mail that may still grow', 'mail bob@example.com', 5],
    ['nothing once a space follows the e-mail', 'mail bob@example.com ', 21],
    ['a 65-character run, too long for a local part: nothing', `${'x'.repeat(65)}!`, 66],
    ['a phone area code in parentheses', 'call (415) 55', 5],
    ['a phone with country code', 'call +1 415', 5],
    ['a whole phone that a digit could still extend', 'call 415-555-0132', 5],
    ['an E.164 phone', 'call +4420718', 5],
    ['card digit groups and a separator', 'card 4111 1111 ', 5],
    ['fullwidth card digits', 'card ４１１１', 5],
    ['an SSN prefix', 'ssn 123-45-', 4],
    ['an SSN prefix with spaces', 'ssn 123 45 ', 4],
    ['an IPv4 prefix', 'host 10.0.', 5],
    ['an IPv4 that a dot and a digit would turn into a version', 'at 1.2.3.4.', 3],
    ['an sk- key prefix', 'key sk-ab', 4],
    ['a GitHub token prefix', 'token ghp_', 6],
    ['an AWS access key prefix', 'id AKIA', 3],
    ['a token after Bearer', 'Authorization: Bearer abc', 22],
    ['a secret key after its name', 'aws_secret_access_key = wJalrX', 24],
  ])('%s', (_name, text, expected) => {
    expect(pii.holdFrom!(text, 0)).toBe(expected)
  })

  test('only enabled entities hold text back', () => {
    const ssn = piiDetector({ name: 'p', entities: { US_SSN: 'redact' } })
    expect(['ssn 123-4', 'mail bob@example.com ', 'card 4111 '].map((t) => ssn.holdFrom!(t, 0))).toEqual([4, 21, 10])
  })
})
