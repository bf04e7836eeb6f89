import { describe, expect, test } from 'bun:test'
import { bannersOf, findLeaks } from './leaks.ts'

describe('findLeaks', () => {
  test.each([
    ['TypeError: x\n    at handle (/srv/app/chat.js:41:17)', ['a JavaScript stack frame']],
    [JSON.stringify({ error: { message: 'boom', stack: 'Error: boom\n    at run (file:///app/x.ts:3:9)' } }), ['a JavaScript stack frame']],
    ['Traceback (most recent call last):\n  File "/app/main.py", line 3, in <module>', ['a Python traceback']],
    ['panic: oops\n\ngoroutine 1 [running]:\nmain.main()', ['a Go panic trace']],
    ['java.lang.NullPointerException\n\tat com.example.Handler.run(Handler.java:42)', ['a Java stack trace']],
    ['cannot import /usr/lib/python3/site-packages/litellm', ['an internal dependency path']],
    ['invalid key sk-proj-abcdefghijklmnopqrstuvwx', ['an OpenAI-style secret key (sk-…)']],
    ['creds AKIAABCDEFGHIJKLMNOP', ['an AWS access key id']],
    ['-----BEGIN RSA PRIVATE KEY-----', ['a private key']],
    ['got Authorization: Bearer abcdefghijklmnopqrstuvwxyz', ['a bearer token']],
  ])('finds %p', (text, expected) => {
    expect(findLeaks(text)).toEqual(expected)
  })

  test('names a presented secret by its label, never its value', () => {
    expect(findLeaks('Invalid key: my-master-key', [{ label: 'the presented API key', value: 'my-master-key' }])).toEqual(['the presented API key'])
  })

  test('ordinary error envelopes are clean', () => {
    for (const text of [
      '{"error":{"message":"Missing or invalid API key. Send it as \\"Authorization: Bearer <key>\\".","type":"authentication_error","param":null,"code":"invalid_api_key"}}',
      '{"error":{"message":"messages[0].role: expected one of system, user, assistant (at 1:2)","type":"invalid_request_error"}}',
      'We meet at 10:30 at the station.',
    ]) {
      expect(findLeaks(text)).toEqual([])
    }
  })
})

describe('bannersOf', () => {
  test('versions fail, bare product names are only noted', () => {
    const headers = new Headers({ server: 'nginx/1.25.3', 'x-powered-by': 'Express', 'content-type': 'text/plain' })
    expect(bannersOf(headers)).toEqual([
      { header: 'server', value: 'nginx/1.25.3', versioned: true },
      { header: 'x-powered-by', value: 'Express', versioned: false },
    ])
    expect(bannersOf(new Headers({ server: 'uvicorn' }))).toEqual([{ header: 'server', value: 'uvicorn', versioned: false }])
    expect(bannersOf(new Headers({ server: 'Werkzeug/3.0.1 Python/3.12.1' }))[0]!.versioned).toBe(true)
    expect(bannersOf(new Headers({ 'x-powered-by': 'PHP/8' }))[0]!.versioned).toBe(true)
  })
})
