import { describe, expect, test } from 'bun:test'
import { Registry, type Sample } from './prometheus.ts'

describe('Registry.render', () => {
  test('renders a labelled counter with HELP, TYPE and one line per series', () => {
    const reg = new Registry('t_')
    const c = reg.counter('hits_total', 'Hits.', ['route', 'code'])
    c.inc(['a', '200'])
    c.inc(['a', '200'], 2)
    c.inc(['b', '500'])
    expect(reg.render()).toBe(
      ['# HELP t_hits_total Hits.', '# TYPE t_hits_total counter', 't_hits_total{route="a",code="200"} 3', 't_hits_total{route="b",code="500"} 1', ''].join('\n'),
    )
  })

  test('renders an unlabelled counter at 0 before any increment', () => {
    const reg = new Registry()
    reg.counter('zero_total', 'Nothing yet.')
    expect(reg.render()).toBe('# HELP zero_total Nothing yet.\n# TYPE zero_total counter\nzero_total 0\n')
  })

  test('renders histogram buckets cumulatively with +Inf, _sum and _count', () => {
    const reg = new Registry()
    const h = reg.histogram('lat_seconds', 'Latency.', ['m'], [0.1, 1])
    for (const v of [0.05, 0.1, 0.5, 3]) h.observe(['x'], v)
    expect(reg.render().split('\n')).toEqual([
      '# HELP lat_seconds Latency.',
      '# TYPE lat_seconds histogram',
      'lat_seconds_bucket{m="x",le="0.1"} 2',
      'lat_seconds_bucket{m="x",le="1"} 3',
      'lat_seconds_bucket{m="x",le="+Inf"} 4',
      'lat_seconds_sum{m="x"} 3.65',
      'lat_seconds_count{m="x"} 4',
      '',
    ])
  })

  test('escapes backslash, quote and newline in label values and HELP', () => {
    const reg = new Registry()
    reg.counter('e_total', 'a\\b\nc', ['v']).inc(['q"\\\n'])
    expect(reg.render()).toContain('# HELP e_total a\\\\b\\nc\n')
    expect(reg.render()).toContain('e_total{v="q\\"\\\\\\n"} 1\n')
  })

  test.each([
    ['a negative increment', -1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('ignores %s as a counter increment', (_, by) => {
    const reg = new Registry()
    const c = reg.counter('n_total', 'N.', ['k'])
    c.inc(['a'], 1)
    c.inc(['a'], by)
    expect(c.get(['a'])).toBe(1)
  })

  test.each([
    ['_total', 'counter'],
    ['_now', 'gauge'],
  ])('renders a callback named with %s as a %s', (suffix, type) => {
    const reg = new Registry('p_')
    reg.callback(`x${suffix}`, 'X.', () => [{ labels: { action: 'block' }, value: 2 }])
    expect(reg.render()).toBe(`# HELP p_x${suffix} X.\n# TYPE p_x${suffix} ${type}\np_x${suffix}{action="block"} 2\n`)
  })

  test('a callback that throws or reports an invalid label loses only its own samples', () => {
    const reg = new Registry()
    reg.callback('broken', 'B.', () => {
      throw new Error('boom')
    })
    reg.callback('badlabel', 'L.', (): Sample[] => [{ labels: { 'bad-name': 'x' }, value: 1 }, { labels: { ok: 'y' }, value: 2 }])
    reg.counter('after_total', 'A.')
    expect(reg.render().split('\n')).toEqual([
      '# HELP broken B.', '# TYPE broken gauge',
      '# HELP badlabel L.', '# TYPE badlabel gauge', 'badlabel{ok="y"} 2',
      '# HELP after_total A.', '# TYPE after_total counter', 'after_total 0',
      '',
    ])
  })

  test.each([
    ['an invalid metric name', (r: Registry) => r.counter('bad-name', 'x')],
    ['an invalid label name', (r: Registry) => r.counter('ok_total', 'x', ['1abc'])],
    ['the reserved le label', (r: Registry) => r.histogram('h', 'x', ['le'], [1])],
    ['unsorted buckets', (r: Registry) => r.histogram('h', 'x', [], [1, 0.5])],
    ['a duplicate name', (r: Registry) => { r.counter('d_total', 'x'); r.callback('d_total', 'x', () => []) }],
  ])('throws at registration on %s', (_, register) => {
    expect(() => register(new Registry())).toThrow()
  })
})
