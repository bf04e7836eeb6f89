/** LiteLLM-style durations: `30s`, `15m`, `12h`, `30d`, `1mo` (calendar months). */
const RE = /^(\d{1,6})(s|m|h|d|mo)$/

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
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd']
  return from + n * unit
}
