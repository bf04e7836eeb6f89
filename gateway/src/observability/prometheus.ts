/**
 * A small Prometheus registry rendering the text exposition format 0.0.4:
 * labelled counters, histograms and gauges read at scrape time. Hand-written
 * (instead of prom-client) to keep the hot path to one map lookup per update
 * and to let scrape-time gauges carry whatever labels they report.
 */

/** The content type of `Registry.render()`'s output. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/
const SEP = '\u0001'

/** One reported value of a scrape-time gauge. */
export type Sample = { labels: Record<string, string>; value: number }

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (v === Infinity) return '+Inf'
  if (v === -Infinity) return '-Inf'
  return String(v)
}

function labelText(names: readonly string[], values: readonly string[], extra = ''): string {
  const parts: string[] = []
  for (let i = 0; i < names.length; i++) parts.push(`${names[i]}="${escapeLabel(values[i] ?? '')}"`)
  if (extra) parts.push(extra)
  return parts.length === 0 ? '' : `{${parts.join(',')}}`
}

interface Metric {
  readonly name: string
  render(out: string[]): void
}

function header(out: string[], name: string, help: string, type: string): void {
  out.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`)
}

/** A monotonically increasing value per label combination. Label values are given in `labelNames` order. */
export class Counter<N extends string = string> implements Metric {
  readonly #series = new Map<string, { values: readonly string[]; value: number }>()
  constructor(readonly name: string, readonly help: string, readonly labelNames: readonly N[]) {
    if (labelNames.length === 0) this.#series.set('', { values: [], value: 0 })
  }

  inc(values: readonly string[], by = 1): void {
    if (!(by >= 0) || !Number.isFinite(by)) return
    const key = values.join(SEP)
    const s = this.#series.get(key)
    if (s) s.value += by
    else this.#series.set(key, { values, value: by })
  }

  get(values: readonly string[]): number {
    return this.#series.get(values.join(SEP))?.value ?? 0
  }

  render(out: string[]): void {
    header(out, this.name, this.help, 'counter')
    for (const s of this.#series.values()) out.push(`${this.name}${labelText(this.labelNames, s.values)} ${formatValue(s.value)}`)
  }
}

/** Observations counted into cumulative `le` buckets, with `_sum` and `_count`. */
export class Histogram<N extends string = string> implements Metric {
  readonly #series = new Map<string, { values: readonly string[]; counts: number[]; sum: number; count: number }>()
  readonly #le: string[]
  constructor(readonly name: string, readonly help: string, readonly labelNames: readonly N[], readonly buckets: readonly number[]) {
    if (buckets.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= buckets[i - 1]!))) throw new Error(`${name}: buckets must be finite and increasing`)
    this.#le = buckets.map(formatValue)
    if (labelNames.length === 0) this.#series.set('', { values: [], counts: buckets.map(() => 0), sum: 0, count: 0 })
  }

  observe(values: readonly string[], v: number): void {
    if (!Number.isFinite(v)) return
    const key = values.join(SEP)
    let s = this.#series.get(key)
    if (!s) this.#series.set(key, (s = { values, counts: this.buckets.map(() => 0), sum: 0, count: 0 }))
    const i = this.buckets.findIndex((b) => v <= b)
    if (i >= 0) s.counts[i]!++
    s.sum += v
    s.count++
  }

  /** Count of observations for one label combination (tests, diagnostics). */
  count(values: readonly string[]): number {
    return this.#series.get(values.join(SEP))?.count ?? 0
  }

  render(out: string[]): void {
    header(out, this.name, this.help, 'histogram')
    for (const s of this.#series.values()) {
      let cumulative = 0
      for (let i = 0; i < this.#le.length; i++) {
        cumulative += s.counts[i]!
        out.push(`${this.name}_bucket${labelText(this.labelNames, s.values, `le="${this.#le[i]}"`)} ${cumulative}`)
      }
      out.push(`${this.name}_bucket${labelText(this.labelNames, s.values, 'le="+Inf"')} ${s.count}`)
      const labels = labelText(this.labelNames, s.values)
      out.push(`${this.name}_sum${labels} ${formatValue(s.sum)}`, `${this.name}_count${labels} ${s.count}`)
    }
  }
}

/**
 * Values read at scrape time. `type` is `counter` when the value only grows
 * (e.g. a running count kept elsewhere). A reader that throws, or reports
 * labels Prometheus cannot carry, loses only its own samples.
 */
class Callback implements Metric {
  constructor(readonly name: string, readonly help: string, readonly type: 'gauge' | 'counter', readonly read: () => Sample[]) {}

  render(out: string[]): void {
    header(out, this.name, this.help, this.type)
    let samples: Sample[]
    try {
      samples = this.read()
    } catch {
      return
    }
    for (const { labels, value } of samples) {
      const names = Object.keys(labels)
      if (!names.every((n) => LABEL_NAME.test(n) && n !== 'le') || typeof value !== 'number') continue
      out.push(`${this.name}${labelText(names, names.map((n) => String(labels[n])))} ${formatValue(value)}`)
    }
  }
}

/** Holds metrics under a common prefix and renders them in registration order. */
export class Registry {
  readonly #metrics = new Map<string, Metric>()
  constructor(readonly prefix = '') {}

  #add<M extends Metric>(m: M, labelNames: readonly string[] = []): M {
    if (!METRIC_NAME.test(m.name)) throw new Error(`invalid metric name '${m.name}'`)
    const bad = labelNames.find((n) => !LABEL_NAME.test(n) || n === 'le')
    if (bad !== undefined) throw new Error(`${m.name}: invalid label name '${bad}'`)
    if (this.#metrics.has(m.name)) throw new Error(`metric '${m.name}' is already registered`)
    this.#metrics.set(m.name, m)
    return m
  }

  counter<N extends string>(name: string, help: string, labelNames: readonly N[] = []): Counter<N> {
    return this.#add(new Counter(this.prefix + name, help, labelNames), labelNames)
  }

  histogram<N extends string>(name: string, help: string, labelNames: readonly N[], buckets: readonly number[]): Histogram<N> {
    return this.#add(new Histogram(this.prefix + name, help, labelNames, buckets), labelNames)
  }

  /** A metric read at scrape time; rendered as a counter when its name ends in `_total`, else as a gauge. */
  callback(name: string, help: string, read: () => Sample[]): void {
    this.#add(new Callback(this.prefix + name, help, name.endsWith('_total') ? 'counter' : 'gauge', read))
  }

  render(): string {
    const out: string[] = []
    for (const m of this.#metrics.values()) m.render(out)
    return out.length === 0 ? '' : `${out.join('\n')}\n`
  }
}
