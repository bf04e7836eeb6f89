import { describe, expect, test } from 'bun:test'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadModule, moduleDirs, parseFile, ROOT_MODULES, TERRAFORM_DIR, tfFiles } from './hcl.ts'

describe('layout', () => {
  test.each(tfFiles())('%s parses as HCL', async (file) => {
    const doc = await parseFile(join(TERRAFORM_DIR, file))
    expect(Object.keys(doc).length).toBeGreaterThan(0)
  })

  test.each(moduleDirs())('%s has main.tf, variables.tf, outputs.tf and versions.tf', (dir) => {
    const files = readdirSync(join(TERRAFORM_DIR, dir))
    expect(['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf'].filter((f) => !files.includes(f))).toEqual([])
  })

  test.each([...ROOT_MODULES])('%s ships a tfvars example that sets every required input and nothing undeclared', async (root) => {
    const mod = await loadModule(root)
    const example = join(TERRAFORM_DIR, root, `${root}.tfvars.example`)
    expect(existsSync(example)).toBe(true)
    const set = Object.keys(await parseFile(example))
    const declared = Object.keys(mod.variable)
    const required = declared.filter((v) => !('default' in (mod.variable[v] ?? {})))
    expect({ undeclared: set.filter((k) => !declared.includes(k)), missing: required.filter((k) => !set.includes(k)) })
      .toEqual({ undeclared: [], missing: [] })
  })

  test('root modules are applied in order ecr -> eks-cluster -> eks and read each other only through data sources', async () => {
    const eks = await loadModule('eks')
    expect(Object.keys(eks.data)).toEqual(expect.arrayContaining(['aws_eks_cluster', 'aws_ecr_repository', 'aws_iam_openid_connect_provider']))
    for (const root of ROOT_MODULES) expect((await loadModule(root)).data.terraform_remote_state).toBeUndefined()
  })

  test('terraform/README.md documents every input and output of the root modules', async () => {
    const readme = readFileSync(join(TERRAFORM_DIR, 'README.md'), 'utf8')
    const missing: string[] = []
    for (const root of ROOT_MODULES) {
      const mod = await loadModule(root)
      for (const name of [...Object.keys(mod.variable), ...Object.keys(mod.output)]) {
        if (!readme.includes(`\`${name}\``)) missing.push(`${root}: ${name}`)
      }
    }
    expect(missing).toEqual([])
  })
})
