/**
 * Prefix patterns of the PII entities, for `holdFrom` (see pending.ts): each
 * is the entity's lookbehind followed by everything an attempt of its
 * pattern in pii-patterns.ts can have read when the text runs out. They
 * accept a little more than that where it keeps them short (an SSN area of
 * 000, an IPv4 octet of 999); ordinary prose matches none of them beyond
 * its last word.
 */
import { escapeRegex } from './match.ts'
import { prefixPattern } from './pending.ts'
import { TOKEN_MAX, type PiiEntity } from './pii-patterns.ts'

const chars = (literal: string) => Array.from(literal, escapeRegex)
const D = '\\d'
const SEP = '[ .-]'

// NANP phone: optional country code, area code with or without parentheses, then the local number.
const COUNTRY = [[], ['\\+', '1'], ['\\+', '1', SEP], ['1', SEP]]
const AREA = [['\\(', '[2-9]', D, D, '\\)'], ['\\(', '[2-9]', D, D, '\\)', SEP], ['[2-9]', D, D, SEP]]
const LOCAL = ['[2-9]', D, D, SEP, D, D, D, D]
const NANP = COUNTRY.flatMap((c) => AREA.map((a) => [...c, ...a, ...LOCAL]))

export const PII_PENDING: Record<PiiEntity, string> = {
  AWS_ACCESS_KEY_ID: `(?<![A-Za-z0-9])${prefixPattern([[...chars('AKIA'), '[A-Z0-9]{0,16}'], [...chars('ASIA'), '[A-Z0-9]{0,16}']])}`,
  API_KEY: [
    `(?<![A-Za-z0-9_-])${prefixPattern([
      [...chars('sk-'), `[A-Za-z0-9_-]{0,${TOKEN_MAX}}`],
      [...chars('pplx-'), `[A-Za-z0-9_-]{0,${TOKEN_MAX}}`],
      [...chars('xox'), '[bpaors]', '-', `[A-Za-z0-9-]{0,${TOKEN_MAX}}`],
    ])}`,
    `(?<![A-Za-z0-9_])${prefixPattern([
      ['g', 'h', '[pousr]', '_', `[A-Za-z0-9]{0,${TOKEN_MAX}}`],
      [...chars('github_pat_'), `[A-Za-z0-9_]{0,${TOKEN_MAX}}`],
    ])}`,
    `(?<=(?<![A-Za-z])(?:[Bb]earer|BEARER)[ \\t]{1,4})[A-Za-z0-9._~+/-]{0,${TOKEN_MAX}}={0,2}`,
  ].join('|'),
  AWS_SECRET_ACCESS_KEY: `(?<![A-Za-z0-9/+=])(?<=(?<![A-Za-z])(?:aws|AWS|Aws|secret|SECRET|Secret)[A-Za-z0-9_ \\t"':=>-]{0,30})[A-Za-z0-9/+]{0,40}`,
  // The domain lookahead reads up to 64 characters and the one after them.
  EMAIL: '(?<![A-Za-z0-9._%+-])(?:[A-Za-z0-9._%+-]{1,64}(?:@[A-Za-z0-9.-]{0,64})?)?',
  CREDIT_CARD: '(?<![\\d-])(?:[2-6](?:\\d{0,2}|\\d{3}(?:[ -]?\\d){0,15}[ -]?))?',
  US_SSN: '(?<![\\d-])(?:\\d{1,3}(?:[- ](?:\\d{1,2}(?:[- ]\\d{0,4})?)?)?)?',
  PHONE: `(?<![\\d+])${prefixPattern(NANP)}|(?<![\\w+])${prefixPattern([['\\+', '[1-9]', '\\d{0,14}']])}`,
  // The lookahead after the last octet reads a `.` and the character after it.
  IPV4: '(?<![A-Za-z0-9.])(?:\\d{1,3}(?:\\.\\d{1,3}){0,3}\\.?)?',
}
