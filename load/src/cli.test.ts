import { expect, test } from 'bun:test'
import { DEFAULT_TOLERANCE } from './baseline.ts'
import { parseCli, parseEnvFlags, UsageError } from './cli.ts'

test('defaults: every scenario, 10 s x 3 rounds, 2 s warm-up, pinned, any mock port', () => {
  expect(parseCli([])).toEqual({
    scenarios: [],
    targets: [],
    durationS: 10,
    rounds: 3,
    warmupS: 15,
    tolerance: DEFAULT_TOLERANCE,
    mockPort: 0,
    gatewayEnv: {},
    pin: true,
    list: false,
    help: false,
  })
})

test('every flag is read; scenarios may be repeated or comma-separated', () => {
  const o = parseCli([
    '--scenario', 'chat,stream', '--scenario', 'throughput', '--target', 'portkey=http://127.0.0.1:8787/v1', '--targets', 't.json',
    '--duration', '5', '--rounds', '1', '--warmup', '0', '--connections', '8', '--rate', '0', '--out', 'o', '--baseline', 'b.json',
    '--tolerance', '0.2', '--tolerance-ms', '1', '--mock-port', '18080', '--gateway-env', 'A=1', '--no-pin',
  ])
  expect(o).toEqual({
    scenarios: ['chat', 'stream', 'throughput'],
    targets: ['portkey=http://127.0.0.1:8787/v1'],
    targetsFile: 't.json',
    durationS: 5,
    rounds: 1,
    warmupS: 0,
    connections: 8,
    rate: 0,
    out: 'o',
    baseline: 'b.json',
    tolerance: { ...DEFAULT_TOLERANCE, relative: 0.2, absoluteMs: 1 },
    mockPort: 18080,
    gatewayEnv: { A: '1' },
    pin: false,
    list: false,
    help: false,
  })
})

test.each([
  [['--duration', 'abc'], '--duration expects a number >= 1, got "abc"'],
  [['--duration', '0'], '--duration expects a number >= 1, got "0"'],
  [['--rate=-1'], '--rate expects a number >= 0, got "-1"'],
  [['--bogus'], "Unknown option '--bogus'"],
  [['--gateway-env', 'novalue'], '--gateway-env expects KEY=VALUE, got "novalue"'],
])('rejects %p', (argv, message) => {
  expect(() => parseCli(argv)).toThrow(UsageError)
  expect(() => parseCli(argv)).toThrow(message)
})

test('parseEnvFlags keeps = signs in the value', () => {
  expect(parseEnvFlags(['A=b=c', 'EMPTY='])).toEqual({ A: 'b=c', EMPTY: '' })
})
