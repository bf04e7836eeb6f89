import { beforeEach, describe, expect, test } from 'bun:test'
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer'
import { mockClient } from 'aws-sdk-client-mock'
import { costReport, costWindows, formatCostReport, tagFilter } from './costs.ts'
import { TEST_CLIENT_CONFIG } from './fakes.ts'

describe('costWindows', () => {
  test.each([
    ['2026-11-26T23:00:00Z', { Start: '2026-11-01', End: '2026-11-26' }, { Start: '2026-10-01', End: '2026-11-01' }],
    ['2026-01-15T00:00:00Z', { Start: '2026-01-01', End: '2026-01-15' }, { Start: '2025-12-01', End: '2026-01-01' }],
    ['2026-03-01T12:00:00Z', null, { Start: '2026-02-01', End: '2026-03-01' }],
    ['2024-03-31T23:59:59Z', { Start: '2024-03-01', End: '2024-03-31' }, { Start: '2024-02-01', End: '2024-03-01' }],
  ])('at %s', (now, monthToDate, previousMonth) => {
    expect(costWindows(new Date(now))).toEqual({ monthToDate, previousMonth })
  })
})

test.each([
  [undefined, undefined],
  ['Project=llm-gateway', { Tags: { Key: 'Project', Values: ['llm-gateway'], MatchOptions: ['EQUALS'] } }],
])('tagFilter(%p)', (tag, expected) => {
  expect(tagFilter(tag) as unknown).toEqual(expected)
})

test('tagFilter refuses a tag without "="', () => {
  expect(() => tagFilter('Project')).toThrow('TAG must be Key=Value (got "Project")')
})

describe('costReport', () => {
  const ce = new CostExplorerClient(TEST_CLIENT_CONFIG)
  const mock = mockClient(ce)
  const usd = (Amount: string) => ({ UnblendedCost: { Amount, Unit: 'USD' } })

  beforeEach(() => {
    mock.reset()
    mock.on(GetCostAndUsageCommand, { Granularity: 'MONTHLY', TimePeriod: { Start: '2026-11-01', End: '2026-11-03' } })
      .resolvesOnce({
        ResultsByTime: [{ Groups: [{ Keys: ['Amazon Elastic Compute Cloud - Compute'], Metrics: usd('1.50') }] }],
        NextPageToken: 'more',
      })
      .resolvesOnce({
        ResultsByTime: [{ Groups: [
          { Keys: ['Amazon Elastic Container Service for Kubernetes'], Metrics: usd('4.80') },
          { Keys: ['Tax'], Metrics: usd('0.001') },
        ] }],
      })
    mock.on(GetCostAndUsageCommand, { Granularity: 'DAILY' }).resolves({
      ResultsByTime: [
        { TimePeriod: { Start: '2026-11-02', End: '2026-11-03' }, Total: usd('3.20') },
        { TimePeriod: { Start: '2026-11-01', End: '2026-11-02' }, Total: usd('3.10') },
      ],
    })
    mock.on(GetCostAndUsageCommand, { Granularity: 'MONTHLY', TimePeriod: { Start: '2026-10-01', End: '2026-11-01' } }).resolves({
      ResultsByTime: [{ Groups: [
        { Keys: ['EC2 - Other'], Metrics: usd('33.10') },
        { Keys: ['Amazon Elastic Container Service for Kubernetes'], Metrics: usd('74.40') },
      ] }],
    })
  })

  test('queries month to date by service and by day, and the previous month, with the tag filter', async () => {
    const filter = tagFilter('Project=llm-gateway')
    const r = await costReport(ce, new Date('2026-11-03T08:00:00Z'), filter)
    expect(r).toEqual({
      monthToDate: {
        window: { Start: '2026-11-01', End: '2026-11-03' },
        byService: [
          { key: 'Amazon Elastic Container Service for Kubernetes', amount: 4.8, unit: 'USD' },
          { key: 'Amazon Elastic Compute Cloud - Compute', amount: 1.5, unit: 'USD' },
        ],
        daily: [
          { key: '2026-11-01', amount: 3.1, unit: 'USD' },
          { key: '2026-11-02', amount: 3.2, unit: 'USD' },
        ],
      },
      previousMonth: {
        window: { Start: '2026-10-01', End: '2026-11-01' },
        byService: [
          { key: 'Amazon Elastic Container Service for Kubernetes', amount: 74.4, unit: 'USD' },
          { key: 'EC2 - Other', amount: 33.1, unit: 'USD' },
        ],
      },
    })
    const inputs = mock.commandCalls(GetCostAndUsageCommand).map((c) => c.args[0].input)
    expect(inputs.map((i) => [i.Granularity, i.NextPageToken, i.Filter])).toEqual([
      ['MONTHLY', undefined, filter],
      ['MONTHLY', 'more', filter],
      ['DAILY', undefined, filter],
      ['MONTHLY', undefined, filter],
    ])
    expect(inputs[0]?.GroupBy).toEqual([{ Type: 'DIMENSION', Key: 'SERVICE' }])
  })

  test('prints three sections with totals', async () => {
    const text = formatCostReport(await costReport(ce, new Date('2026-11-03T08:00:00Z')))
    expect(text).toContain('Month to date (2026-11-01 to 2026-11-03, end exclusive), by service')
    expect(text).toContain('TOTAL                                            6.30 USD')
    expect(text).toContain('Month to date, by day')
    expect(text).toContain('2026-11-02  3.20 USD')
    expect(text).toContain('Previous month (2026-10-01 to 2026-11-01, end exclusive), by service')
    expect(text).toContain('TOTAL                                            107.50 USD')
  })

  test('on the 1st, reports only the previous month', async () => {
    mock.on(GetCostAndUsageCommand).resolves({ ResultsByTime: [] })
    const r = await costReport(ce, new Date('2026-11-01T08:00:00Z'))
    expect([r.monthToDate, mock.commandCalls(GetCostAndUsageCommand).length]).toEqual([null, 1])
    expect(formatCostReport(r)).toStartWith('Month to date: today is the 1st, no whole day to report yet.')
  })
})
