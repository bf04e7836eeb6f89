import { describe, expect, test } from 'bun:test'
import { keywordDetector } from './detectors/keyword.ts'
import { piiDetector } from './detectors/pii.ts'
import { scanMessagesText, scanWhole } from './scan.ts'

const block = keywordDetector({ name: 'words', words: ['duck', 'rubber duck'] })
const redact = keywordDetector({ name: 'words', words: ['duck', 'rubber duck'], action: 'redact' })
const pii = piiDetector({ name: 'pii', entities: { EMAIL: 'redact', CREDIT_CARD: 'block' } })

describe('scanWhole', () => {
  test('flags the first block finding and still reports every finding', () => {
    const r = scanWhole([pii, block], 'mail bob@example.com about the duck, card 4111111111111111')
    expect({ flagged: r.flagged?.entity, entities: r.findings.map((f) => f.entity) }).toEqual({
      flagged: 'KEYWORD',
      entities: ['EMAIL', 'KEYWORD', 'CREDIT_CARD'],
    })
  })

  test('redacts without a block finding', () => {
    expect(scanWhole([pii, redact], 'bob@example.com saw a rubber duck').redacted).toBe('[REDACTED_EMAIL] saw a [REDACTED_KEYWORD]')
  })

  test('overlapping redactions: the earlier, longer one wins', () => {
    const domain = keywordDetector({ name: 'domain', words: ['example'], action: 'redact' })
    expect(scanWhole([domain, pii], 'bob@example.com').redacted).toBe('[REDACTED_EMAIL]')
  })
})

describe('scanMessagesText', () => {
  test('catches a word split across content parts of one message', () => {
    expect(scanMessagesText([block], [['rubber du', 'ck']]).flagged?.entity).toBe('KEYWORD')
  })

  test('does not fuse a word across two messages', () => {
    expect(scanMessagesText([block], ['du', 'ck']).flagged).toBeUndefined()
  })

  test('catches a phrase whose words straddle two messages', () => {
    expect(scanMessagesText([block], ['a rubber', 'duck']).findings.map((f) => [f.start, f.end])).toEqual([[2, 13]])
  })

  test('redacts per part, keeping the replacement where a span starts', () => {
    const r = scanMessagesText([redact, pii], [['hello rub', 'ber duck!'], 'mail bob@', ['example.com', ' ok']])
    expect(r.redactedMessages).toEqual([['hello [REDACTED_KEYWORD]', '!'], ['mail bob@'], ['example.com', ' ok']])
  })

  test('a redaction spanning parts of one message moves to the first part', () => {
    const r = scanMessagesText([pii], [['mail bob@', 'example.com', ' ok']])
    expect(r.redactedMessages).toEqual([['mail [REDACTED_EMAIL]', '', ' ok']])
  })

  test('reports where each part sits in the joined text', () => {
    expect(scanMessagesText([block], ['ab', ['c', 'd']]).parts).toEqual([
      { message: 0, part: 0, start: 0, end: 2 },
      { message: 1, part: 0, start: 3, end: 4 },
      { message: 1, part: 1, start: 4, end: 5 },
    ])
  })
})
