/**
 * Regular expressions and validators for the PII detector. They run on text
 * that is NFKC-normalised with invisible characters removed, case preserved.
 * Every pattern has bounded quantifiers so its longest match (`maxLength`,
 * lookahead included) is a real bound for the streaming window.
 *
 * Decisions a reader may look for:
 * - PHONE needs separators in NANP form (`415-555-0132`, `(415) 555-0132`,
 *   `+1 415 555 0132`) or E.164 (`+442071838750`); bare 10-digit runs are not
 *   phones (order numbers, ids).
 * - US_SSN needs `-` or space separators used consistently; area 000, 666 and
 *   900-999, group 00 and serial 0000 are never issued and are not matched.
 * - CREDIT_CARD is 13-19 digits starting 2-6 (the networks in use), with
 *   optional spaces or dashes, and must pass the Luhn check.
 * - IPV4 is a dotted quad of octets 0-255 without leading zeros. Version
 *   strings look the same: `v1.2.3.4` (letter before) and `1.2.3.4.5` (more
 *   parts) are not IPs, a bare `1.2.3.4` is.
 * - AWS_SECRET_ACCESS_KEY heuristic: exactly 40 characters of [A-Za-z0-9/+]
 *   with upper case, lower case and a digit or `/`/`+`, at most 30 characters
 *   (letters, `_`, spaces, quotes, `:`, `=`, `>`, `-`) after the word `aws` or
 *   `secret`, as in `aws_secret_access_key = ...` or `"SecretAccessKey": "..."`.
 *   A key with no such word before it is not detected.
 * - API_KEY: `sk-`, `pplx-`, `ghp_`-family, `github_pat_`, `xox[bpaors]-`
 *   prefixes, and tokens of 20+ characters after `Bearer ` that contain a
 *   letter and a digit. Token bodies are matched up to 200 characters; a
 *   longer token keeps its tail.
 */

export const PII_ENTITIES = [
  'AWS_ACCESS_KEY_ID',
  'API_KEY',
  'AWS_SECRET_ACCESS_KEY',
  'EMAIL',
  'CREDIT_CARD',
  'US_SSN',
  'PHONE',
  'IPV4',
] as const

export type PiiEntity = (typeof PII_ENTITIES)[number]

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)'
/** Longest token body API_KEY matches. */
export const TOKEN_MAX = 200

/** Pattern source (one alternative of the combined regex; named groups must be unique) and longest match. */
export const PII_PATTERNS: Record<PiiEntity, { source: string; maxLength: number }> = {
  AWS_ACCESS_KEY_ID: { source: '(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])', maxLength: 21 },
  API_KEY: {
    source: [
      `(?<![A-Za-z0-9_-])(?:sk|pplx)-(?<KEYBODY>[A-Za-z0-9_-]{20,${TOKEN_MAX}})`,
      `(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,${TOKEN_MAX}}|github_pat_[A-Za-z0-9_]{22,${TOKEN_MAX}})`,
      `(?<![A-Za-z0-9_-])xox[bpaors]-[A-Za-z0-9-]{10,${TOKEN_MAX}}`,
      `(?<=(?<![A-Za-z])(?:[Bb]earer|BEARER)[ \\t]{1,4})(?<BEARER>[A-Za-z0-9._~+/-]{20,${TOKEN_MAX}}={0,2})`,
    ].join('|'),
    maxLength: TOKEN_MAX + 16,
  },
  AWS_SECRET_ACCESS_KEY: {
    // Cheap checks first (run boundary, 40-character run), the context lookbehind last.
    source: `(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=]))(?<=(?<![A-Za-z])(?:aws|AWS|Aws|secret|SECRET|Secret)[A-Za-z0-9_ \\t"':=>-]{0,30})[A-Za-z0-9/+]{40}`,
    maxLength: 41,
  },
  EMAIL: {
    source:
      '(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?=[A-Za-z0-9.-]{4,64}(?![A-Za-z0-9.-]))[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,24}',
    maxLength: 130,
  },
  CREDIT_CARD: { source: '(?<![\\d-])[2-6]\\d{3}(?:[ -]?\\d){9,15}(?!\\d)', maxLength: 40 },
  US_SSN: {
    source: '(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}(?<SSNSEP>[- ])(?!00)\\d{2}\\k<SSNSEP>(?!0000)\\d{4}(?![\\d-])',
    maxLength: 12,
  },
  PHONE: {
    source: [
      '(?<![\\d+])(?:\\+1[ .-]?|1[ .-])?(?:\\([2-9]\\d{2}\\)[ .-]?|[2-9]\\d{2}[ .-])[2-9]\\d{2}[ .-]\\d{4}(?!\\d)',
      '(?<![\\w+])\\+[1-9]\\d{7,14}(?!\\d)',
    ].join('|'),
    maxLength: 24,
  },
  IPV4: { source: `(?<![A-Za-z0-9.])(?:${OCTET}\\.){3}${OCTET}(?!\\d|\\.\\d)`, maxLength: 17 },
}

/** Luhn checksum over the digits of `s` (other characters ignored). */
export function luhnValid(s: string): boolean {
  let sum = 0
  let double = false
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) continue
    let d = double ? c * 2 : c
    if (d > 9) d -= 9
    sum += d
    double = !double
  }
  return sum % 10 === 0
}

const HAS_DIGIT = /\d/
const HAS_LETTER = /[A-Za-z]/
const HAS_UPPER = /[A-Z]/
const HAS_LOWER = /[a-z]/
const HAS_DIGIT_OR_SYMBOL = /[\d/+]/

/** Post-match checks that a regex cannot express; false rejects the match. */
export function validatePii(entity: PiiEntity, m: RegExpExecArray): boolean {
  const s = m[0]
  switch (entity) {
    case 'CREDIT_CARD':
      return luhnValid(s)
    case 'API_KEY': {
      const body = m.groups?.BEARER ?? m.groups?.KEYBODY
      return body === undefined || (HAS_DIGIT.test(body) && HAS_LETTER.test(body))
    }
    case 'AWS_SECRET_ACCESS_KEY':
      return HAS_UPPER.test(s) && HAS_LOWER.test(s) && HAS_DIGIT_OR_SYMBOL.test(s)
    default:
      return true
  }
}
