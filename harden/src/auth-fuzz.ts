/**
 * Area 9, auth fuzzing: thousands of malformed and hostile credentials
 * (SQL fragments, near misses of the real master and virtual keys: cut,
 * extended, one character changed, case-flipped, homoglyphs, zero-width and
 * encoded forms; other schemes; several Authorization headers; x-api-key
 * variants; huge, empty and binary values) on every keyed route. Every
 * answer must be a 401 envelope, none admitted, none 5xx, the offered value
 * never echoed. In process (app.handle), with the huge ones over a socket.
 */
import fc from 'fast-check'
import { CANARY } from './canary.ts'
import { ledger, ledgerMark, seeAnswer } from './ledger.ts'
import type { Profile } from './profile.ts'
import { fig, Problems, type AreaResult } from './report.ts'
import { watchUnhandled } from './sys.ts'
import { startWorld } from './world.ts'

type Creds = Array<[string, string]>

const SQL = ["' OR '1'='1", "admin'--", '1; DROP TABLE keys;--', '" OR ""="', "%27%20OR%201%3D1", "') OR ('a'='a", '*', '%', '\\', '${jndi:ldap://127.0.0.2/a}', '{{7*7}}', '../../etc/passwd']

/** Near misses of `key`, none of which is the key. */
export function nearMisses(key: string): string[] {
  const flip = (s: string) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('')
  const out = [
    key.slice(0, -1), `${key}x`, `x${key}`, key.slice(1), flip(key), key.replace('s', '\u0455'), `${key.slice(0, 5)}\u200b${key.slice(5)}`,
    `${key}\u00a0`, encodeURIComponent(key).replace('-', '%2D'), btoa(key), key.split('').reverse().join(''), `${key}${key}`,
    key.replace(/./g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)), key.toUpperCase(),
  ]
  for (let i = 0; i < key.length; i += 3) out.push(key.slice(0, i) + (key[i] === 'a' ? 'b' : 'a') + key.slice(i + 1))
  return out.filter((v) => v !== key)
}

/** The wire form (UTF-8 bytes as latin1) of a header value. */
const wire = (v: string) => Buffer.from(v, 'utf8').toString('latin1')

function hostile(master: string, virtual: string, seed: number, randomCount: number): Creds[] {
  const values = [...SQL, ...nearMisses(master), ...nearMisses(virtual), '', ' ', 'null', 'undefined', 'sk-', 'Bearer', 'x'.repeat(513), '\u202e\u0000'.replace('\u0000', ''), '😀🔑']
  const out: Creds[] = []
  for (const v of values) {
    for (const scheme of ['Bearer ', 'bearer ', 'Basic ', 'Token ', 'Bearer  Bearer ', '', 'Bearer\t']) out.push([['authorization', wire(scheme + v)]])
    out.push([['x-api-key', wire(v)]], [['authorization', wire(`Bearer ${v}`)], ['x-api-key', master]])
  }
  out.push([['authorization', `Basic ${btoa(`user:${master}`)}`]], [['authorization', `Bearer ${master}, Bearer x`]], [['authorization', `Bearer x`], ['authorization', `Bearer ${master}`]],
    [['authorization', `Bearer ${master} extra`]], [['authorization', `Bearer ${master.slice(0, -1)}`], ['x-api-key', master]], [['x-api-key', `Bearer ${master}`]], [])
  const random = fc.sample(fc.tuple(fc.constantFrom('authorization', 'x-api-key'), fc.string({ unit: 'grapheme', maxLength: 100 })), { seed, numRuns: randomCount })
  for (const [name, v] of random) if (v !== master && v !== virtual) out.push([[name, wire(name === 'authorization' ? `Bearer ${v}` : v)]])
  return out
}

const ROUTES: Array<{ method: string; path: string; body?: string }> = [
  { method: 'POST', path: '/v1/chat/completions', body: '{"model":"mock-echo","messages":[{"role":"user","content":"hi"}]}' },
  { method: 'GET', path: '/v1/models' },
  { method: 'GET', path: '/key/list' },
  { method: 'POST', path: '/key/generate', body: '{}' },
  { method: 'GET', path: '/spend/logs' },
  { method: 'GET', path: '/metrics' },
]

export async function runAuthFuzz(p: Profile): Promise<AreaResult> {
  const started = performance.now()
  const problems = new Problems()
  const mark = ledgerMark()
  const w = await startWorld()
  const sets = hostile(CANARY.master, w.virtualKey, p.seed, Math.max(0, Math.ceil(p.authValues / ROUTES.length) - 400))
  let sent = 0
  let admitted = 0
  let fiveXX = 0
  let echoed = 0
  let not401 = 0
  const findings: string[] = []
  const huge = ['x'.repeat(8 * 1024), 'y'.repeat(64 * 1024)]
  const { unhandled } = await watchUnhandled(async () => {
    for (const creds of sets) {
      for (const route of ROUTES) {
        const headers = new Headers()
        try {
          for (const [k, v] of creds) headers.append(k, v)
        } catch {
          continue // not a valid header value: no client can send it
        }
        const res = await w.app.handle(new Request(`http://gateway.local${route.path}`, { method: route.method, headers, ...(route.body ? { body: route.body } : {}) }))
        record(res.status, res.headers, await res.text(), creds)
      }
    }
    for (const v of huge) {
      const res = await fetch(`${w.gw.url}/v1/models`, { headers: { authorization: `Bearer ${v}` } })
      record(res.status, res.headers, await res.text(), [['authorization', v]], true)
    }
  })
  function record(status: number, headers: Headers, text: string, creds: Creds, viaSocket = false) {
    sent++
    if (viaSocket && status === 431 && text === '') {
      // Bun's own header-size limit answers before the gateway runs: no envelope possible.
      ledger.knownNonEnvelope.push('auth: Bun native 431')
      findings.push(`an Authorization header of ${creds[0]?.[1].length} bytes gets Bun's own 431 with an empty body (not the envelope; Bun's header limit, before any gateway code)`)
      return
    }
    seeAnswer('auth fuzz', status, headers, text)
    admitted += problems.miss(status >= 300, `admitted: ${JSON.stringify(creds).slice(0, 120)}`)
    fiveXX += problems.miss(status < 500, `${status} for ${JSON.stringify(creds).slice(0, 120)}`)
    not401 += problems.miss(status === 401 || (viaSocket && status === 431), `${status} (want 401) for ${JSON.stringify(creds).slice(0, 120)}`)
    const all = text + JSON.stringify([...headers])
    for (const [, v] of creds) {
      const credential = v.replace(/^(Bearer|bearer|Basic|Token)\s+/, '')
      echoed += problems.miss(credential.length < 8 || !all.includes(credential), `echoed: ${credential.slice(0, 40)}`)
    }
  }
  for (const u of unhandled) problems.add(u)
  for (const a of await w.close()) problems.add(a)
  const m = ledgerMark()
  return {
    area: '9 auth fuzz',
    figures: [
      fig(`hostile credential sets × ${ROUTES.length} keyed routes (+ 8 KiB and 64 KiB over a socket)`, sent, '≥ 10k (long)'),
      fig('admitted', admitted, '0', admitted === 0),
      fig('5xx', fiveXX, '0', fiveXX === 0),
      fig('not 401', not401, '0', not401 === 0),
      fig('offered value echoed (body or headers)', echoed, '0', echoed === 0),
      fig('answers not in the envelope', m.violations - mark.violations, '0', m.violations === mark.violations),
      fig('unhandled rejections', unhandled.length, '0', unhandled.length === 0),
    ],
    problems: problems.list(),
    findings,
    ms: performance.now() - started,
  }
}
