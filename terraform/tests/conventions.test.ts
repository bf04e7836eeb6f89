import { describe, expect, test } from 'bun:test'
import { loadModule, moduleDirs, resourceTypes, ROOT_MODULES, type Body } from './hcl.ts'

const isRoot = (dir: string) => (ROOT_MODULES as readonly string[]).includes(dir)
const EXACT = /^= \d+\.\d+\.\d+$/
const BOUNDED = /^>= (\d+\.\d+\.\d+), < (\d+)\.0\.0$/

describe('conventions', () => {
  test.each(moduleDirs())('every variable of %s has a type and a description', async (dir) => {
    const mod = await loadModule(dir)
    const bad = Object.entries(mod.variable)
      .filter(([, v]) => typeof v.type !== 'string' || typeof v.description !== 'string' || v.description.trim().length < 10)
      .map(([k]) => k)
    expect(bad).toEqual([])
  })

  test.each(moduleDirs())('every output of %s has a description', async (dir) => {
    const mod = await loadModule(dir)
    const bad = Object.entries(mod.output).filter(([, o]) => typeof o.description !== 'string' || o.description.trim() === '').map(([k]) => k)
    expect(bad).toEqual([])
  })

  test.each(moduleDirs())('inputs of %s that name CIDRs, ARNs, regions or versions are validated', async (dir) => {
    const mod = await loadModule(dir)
    const unvalidated = Object.entries(mod.variable)
      .filter(([k]) => /cidr|arn|region|version/.test(k))
      .filter(([, v]) => !Array.isArray(v.validation))
      .map(([k]) => k)
    expect(unvalidated).toEqual([])
  })

  test.each(moduleDirs())('%s pins OpenTofu/Terraform and every provider it uses', async (dir) => {
    const mod = await loadModule(dir)
    expect(mod.requiredVersion).toBe('>= 1.8.0')
    const used = new Set(resourceTypes(mod).map((t) => t.split('_')[0]))
    for (const p of Object.keys(mod.provider)) used.add(p)
    expect(Object.keys(mod.requiredProviders).sort()).toEqual(expect.arrayContaining([...used].sort()))
    for (const [name, req] of Object.entries(mod.requiredProviders)) {
      expect({ name, source: req.source }).toEqual({ name, source: `hashicorp/${name}` })
      // Roots pin exact versions (reproducible without a lock file); shared modules take a bounded range.
      expect({ name, version: req.version }).toEqual({ name, version: expect.stringMatching(isRoot(dir) ? EXACT : BOUNDED) })
    }
  })

  test('module version ranges admit the versions the roots pin', async () => {
    const pins = new Map<string, string>()
    for (const root of ROOT_MODULES) {
      for (const [p, r] of Object.entries((await loadModule(root)).requiredProviders)) {
        const v = (r.version ?? '').replace('= ', '')
        expect({ p, v: pins.get(p) ?? v }).toEqual({ p, v }) // every root pins the same version
        pins.set(p, v)
      }
    }
    for (const dir of moduleDirs().filter((d) => !isRoot(d))) {
      for (const [p, r] of Object.entries((await loadModule(dir)).requiredProviders)) {
        const [, lower, major] = BOUNDED.exec(r.version ?? '') ?? []
        const pinned = pins.get(p) ?? ''
        expect({ dir, p, ok: cmp(pinned, lower ?? '') >= 0 && Number(pinned.split('.')[0]) < Number(major) }).toEqual({ dir, p, ok: true })
      }
    }
  })

  test.each(moduleDirs())('outputs of %s survive disabled (count = 0) resources', async (dir) => {
    const mod = await loadModule(dir)
    const counted = Object.entries(mod.resource).flatMap(([type, byName]) =>
      Object.entries(byName).filter(([, r]) => 'count' in r).map(([name]) => `${type}.${name}[0]`),
    )
    const unsafe = Object.entries(mod.output)
      .filter(([, o]) => counted.some((addr) => String(o.value).includes(addr)) && !String(o.value).includes('try('))
      .map(([k]) => k)
    expect(unsafe).toEqual([])
  })

  test.each(moduleDirs())('%s holds no static AWS credentials', async (dir) => {
    const mod = await loadModule(dir)
    const keys = Object.values(mod.provider).flat().flatMap((p: Body) => Object.keys(p))
    expect(keys.filter((k) => /access_key|secret_key|profile|shared_credentials/.test(k))).toEqual([])
    expect(Object.keys(mod.resource).filter((t) => ['aws_iam_access_key', 'aws_iam_user', 'aws_secretsmanager_secret_version'].includes(t))).toEqual([])
  })
})

function cmp(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0)
  return 0
}
