/**
 * Figures: what each area measured, against its target, and the table the
 * CLI prints and the README publishes.
 */
export interface Figure {
  /** What was measured, e.g. "inputs sent". */
  name: string
  /** The measured value, formatted. */
  value: string
  /** The goal, formatted ("", when the figure is informative only). */
  target: string
  /** False when the value misses the target. */
  ok: boolean
}

export interface AreaResult {
  area: string
  figures: Figure[]
  /** Every broken expectation, one line each (capped by `Problems`); empty when the area holds. */
  problems: string[]
  /** Known limits found: not failures of this suite, but reported with the figures. */
  findings: string[]
  ms: number
}

/** A figure; `ok` defaults to true (informative). */
export function fig(name: string, value: string | number, target = '', ok = true): Figure {
  return { name, value: typeof value === 'number' ? fmt(value) : value, target, ok }
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  if (Number.isInteger(n)) return n.toLocaleString('en-US')
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2)
}

/** Collects problems, keeping the first `max` lines and counting the rest. */
export class Problems {
  readonly lines: string[] = []
  count = 0
  constructor(private readonly max = 20) {}
  add(line: string): void {
    this.count++
    if (this.lines.length < this.max) this.lines.push(line.length > 300 ? `${line.slice(0, 300)}…` : line)
  }
  /** Adds `line` when `cond` is false. */
  check(cond: boolean, line: string): void {
    if (!cond) this.add(line)
  }
  /** Like `check`, returning 1 when `line` was added (for counters), else 0. */
  miss(cond: boolean, line: string): number {
    this.check(cond, line)
    return cond ? 0 : 1
  }
  list(): string[] {
    return this.count > this.lines.length ? [...this.lines, `… and ${this.count - this.lines.length} more`] : this.lines
  }
}

export interface RunMeta {
  profile: string
  date: string
  bun: string
  cores: number
}

/** The Markdown table of every area's figures, with the run's context line. */
export function renderTable(results: AreaResult[], meta: RunMeta): string {
  const lines = [
    `Profile **${meta.profile}**, ${meta.date}, Bun ${meta.bun}, ${meta.cores} cores, loopback only.`,
    '',
    '| area | figure | value | target | ok |',
    '|---|---|---|---|---|',
  ]
  for (const r of results) {
    for (const f of r.figures) lines.push(`| ${r.area} | ${esc(f.name)} | ${esc(f.value)} | ${esc(f.target)} | ${f.ok ? 'yes' : '**NO**'} |`)
    lines.push(`| ${r.area} | run time | ${(r.ms / 1000).toFixed(1)} s |  |  |`)
  }
  const findings = results.flatMap((r) => r.findings.map((f) => `- ${r.area}: ${f}`))
  if (findings.length > 0) lines.push('', 'Findings:', ...findings)
  const problems = results.flatMap((r) => r.problems.map((p) => `- ${r.area}: ${p}`))
  if (problems.length > 0) lines.push('', 'Problems:', ...problems)
  return lines.join('\n')
}

function esc(s: string): string {
  return s.replaceAll('|', '\\|').replaceAll('\n', ' ')
}
