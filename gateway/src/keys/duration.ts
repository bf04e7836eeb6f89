/** LiteLLM-style durations: `30s`, `15m`, `12h`, `30d`, `1mo` (calendar months). */
const RE = /^(\d{1,6})(s|m|h|d|mo)$/
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const
/** A duration of fixed length above zero: `3600s`, `60m`, `24h`, `7d` (the config schema uses its source as the pattern). */
export const FIXED_DURATION = /^([1-9]\d{0,5})(s|m|h|d)$/

export function isDuration(s: string): boolean {
  return RE.test(s)
}

/** The instant `d` after `from` (epoch ms); throws on a malformed duration. */
export function addDuration(from: number, d: string): number {
  const m = RE.exec(d)
  if (!m) throw new Error(`expected a duration like 30s, 15m, 12h, 30d or 1mo, got "${d}"`)
  const n = Number(m[1])
  if (m[2] === 'mo') {
    const date = new Date(from)
    date.setUTCMonth(date.getUTCMonth() + n)
    return date.getTime()
  }
  return from + n * UNIT_MS[m[2] as keyof typeof UNIT_MS]
}

/** A FIXED_DURATION in ms; throws on anything else (`mo`, zero). */
export function fixedDurationMs(d: string): number {
  const m = FIXED_DURATION.exec(d)
  if (!m) throw new Error(`expected a duration like 3600s, 60m, 24h or 7d, got "${d}"`)
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]
}
