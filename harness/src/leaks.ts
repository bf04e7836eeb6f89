/**
 * What an error response must never show a client: stack traces (V8, Python,
 * Go, Java), internal dependency paths, and secrets (the keys the harness
 * presented, and common key shapes). Findings name what leaked, never the
 * secret itself. Also the server-banner rule: a `server` or `x-powered-by`
 * header with a version number.
 */

interface Pattern {
  what: string
  re: RegExp
}

const STACK_PATTERNS: Pattern[] = [
  { what: 'a JavaScript stack frame', re: /^\s*at\s+(?:async\s+)?(?:[^\s(]+\s+)?\(?(?:file:\/\/|\/|[A-Za-z]:\\|node:|bun:)[^\s)]*:\d+(?::\d+)?\)?\s*$/m },
  { what: 'a JavaScript stack frame', re: /\bat\s+[\w$.<>]+\s+\([^()\s]+:\d+:\d+\)/ },
  { what: 'a Python traceback', re: /Traceback \(most recent call last\)|File "[^"]+", line \d+/ },
  { what: 'a Go panic trace', re: /goroutine \d+ \[[a-z ]+\]:/ },
  { what: 'a Java stack trace', re: /\bat [\w$]+(?:\.[\w$<>]+)+\([\w$]+\.(?:java|kt|scala):\d+\)/ },
  { what: 'an internal dependency path', re: /(?:node_modules|site-packages|dist-packages)[\\/]/ },
]

const SECRET_PATTERNS: Pattern[] = [
  { what: 'an OpenAI-style secret key (sk-…)', re: /\bsk-[A-Za-z0-9_-]{20,}/ },
  { what: 'an AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: 'a private key', re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { what: 'a bearer token', re: /\bBearer\s+[A-Za-z0-9._~+/=-]{16,}/ },
]

/** A secret the harness itself sent, with the label reports use instead of its value. */
export interface KnownSecret {
  label: string
  value: string
}

/** Each leak found in `text`: "a Python traceback", "the presented API key", … */
export function findLeaks(text: string, known: KnownSecret[] = []): string[] {
  const found = new Set<string>()
  for (const { what, re } of STACK_PATTERNS) if (re.test(text)) found.add(what)
  for (const { label, value } of known) if (value.length >= 6 && text.includes(value)) found.add(label)
  for (const { what, re } of SECRET_PATTERNS) if (re.test(text)) found.add(what)
  return [...found]
}

/** Headers that announce the server software. */
export const BANNER_HEADERS = ['server', 'x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version', 'x-generator']

/** `server: nginx/1.25.3`, `x-powered-by: PHP/8.1`, `Werkzeug/3.0.1 Python/3.12`: a version number in a banner. */
const VERSION = /\d+\.\d+|\/\s*\d/

export interface Banner {
  header: string
  value: string
  /** True when the value carries a version number (a failure); false for a bare product name (a note). */
  versioned: boolean
}

/** The banner headers present in `headers`. */
export function bannersOf(headers: Headers): Banner[] {
  const out: Banner[] = []
  for (const header of BANNER_HEADERS) {
    const value = headers.get(header)
    if (value !== null && value.trim() !== '') out.push({ header, value, versioned: VERSION.test(value) })
  }
  return out
}
