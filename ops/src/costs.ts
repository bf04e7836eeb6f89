/**
 * AWS spend from Cost Explorer: month to date by service, month to date by
 * day, and the previous month by service. Each GetCostAndUsage request is
 * billed ($0.01), so a report makes exactly three (more only when paging).
 */
import { GetCostAndUsageCommand, type CostExplorerClient, type Expression, type GetCostAndUsageCommandInput } from '@aws-sdk/client-cost-explorer'
import { UsageError } from './errors.ts'
import { table } from './table.ts'

export interface Window {
  Start: string
  End: string
}

/** Cost Explorer windows (UTC, End exclusive). Month to date is null on the 1st: no whole day yet. */
export function costWindows(now: Date): { monthToDate: Window | null; previousMonth: Window } {
  const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10)
  const y = now.getUTCFullYear()
  const m = now.getUTCMonth()
  const firstOfMonth = day(y, m, 1)
  const today = day(y, m, now.getUTCDate())
  return {
    monthToDate: today === firstOfMonth ? null : { Start: firstOfMonth, End: today },
    previousMonth: { Start: day(y, m - 1, 1), End: firstOfMonth },
  }
}

/** Parses `--tag Key=Value` into a Cost Explorer filter (the tag must be activated for cost allocation). */
export function tagFilter(tag: string | undefined): Expression | undefined {
  if (tag === undefined || tag === '') return undefined
  const m = /^([^=]{1,128})=(.{0,256})$/.exec(tag)
  if (!m) throw new UsageError(`TAG must be Key=Value (got "${tag}")`)
  return { Tags: { Key: m[1], Values: [m[2] ?? ''], MatchOptions: ['EQUALS'] } }
}

export interface Amount {
  key: string
  amount: number
  unit: string
}

async function query(ce: CostExplorerClient, input: GetCostAndUsageCommandInput): Promise<Amount[]> {
  const totals = new Map<string, Amount>()
  let NextPageToken: string | undefined
  do {
    const out = await ce.send(new GetCostAndUsageCommand({ ...input, NextPageToken }))
    for (const r of out.ResultsByTime ?? []) {
      const entries = r.Groups?.length
        ? r.Groups.map((g) => [g.Keys?.join(' / ') ?? '?', g.Metrics?.UnblendedCost] as const)
        : [[r.TimePeriod?.Start ?? '?', r.Total?.UnblendedCost] as const]
      for (const [key, metric] of entries) {
        const prev = totals.get(key)
        const amount = Number(metric?.Amount ?? 0)
        totals.set(key, { key, amount: (prev?.amount ?? 0) + amount, unit: metric?.Unit ?? prev?.unit ?? 'USD' })
      }
    }
    NextPageToken = out.NextPageToken
  } while (NextPageToken)
  return [...totals.values()]
}

export function costsByService(ce: CostExplorerClient, window: Window, filter?: Expression): Promise<Amount[]> {
  return query(ce, {
    TimePeriod: window,
    Granularity: 'MONTHLY',
    Metrics: ['UnblendedCost'],
    GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    ...(filter ? { Filter: filter } : {}),
  }).then((rows) => rows.filter((r) => Math.abs(r.amount) >= 0.005).sort((a, b) => b.amount - a.amount))
}

export function dailyCosts(ce: CostExplorerClient, window: Window, filter?: Expression): Promise<Amount[]> {
  return query(ce, {
    TimePeriod: window,
    Granularity: 'DAILY',
    Metrics: ['UnblendedCost'],
    ...(filter ? { Filter: filter } : {}),
  }).then((rows) => rows.sort((a, b) => a.key.localeCompare(b.key)))
}

export interface CostReport {
  monthToDate: { window: Window; byService: Amount[]; daily: Amount[] } | null
  previousMonth: { window: Window; byService: Amount[] }
}

export async function costReport(ce: CostExplorerClient, now: Date, filter?: Expression): Promise<CostReport> {
  const w = costWindows(now)
  const monthToDate = w.monthToDate
    ? { window: w.monthToDate, byService: await costsByService(ce, w.monthToDate, filter), daily: await dailyCosts(ce, w.monthToDate, filter) }
    : null
  return { monthToDate, previousMonth: { window: w.previousMonth, byService: await costsByService(ce, w.previousMonth, filter) } }
}

const money = (a: Amount) => `${a.amount.toFixed(2)} ${a.unit}`
const total = (rows: Amount[]): Amount => ({ key: 'TOTAL', amount: rows.reduce((s, r) => s + r.amount, 0), unit: rows[0]?.unit ?? 'USD' })

function section(title: string, keyHeader: string, rows: Amount[]): string {
  return `${title}\n${table([keyHeader, 'COST'], [...rows, total(rows)].map((r) => [r.key, money(r)]))}`
}

export function formatCostReport(r: CostReport): string {
  const parts: string[] = []
  const mtd = r.monthToDate
  if (mtd) {
    parts.push(section(`Month to date (${mtd.window.Start} to ${mtd.window.End}, end exclusive), by service`, 'SERVICE', mtd.byService))
    parts.push(section('Month to date, by day', 'DAY', mtd.daily))
  } else {
    parts.push('Month to date: today is the 1st, no whole day to report yet.')
  }
  const pm = r.previousMonth
  parts.push(section(`Previous month (${pm.window.Start} to ${pm.window.End}, end exclusive), by service`, 'SERVICE', pm.byService))
  return parts.join('\n\n')
}
