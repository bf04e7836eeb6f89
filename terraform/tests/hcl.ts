/**
 * Loads the Terraform configuration under terraform/ as JSON, offline.
 *
 * Parsing uses @cdktf/hcl2json: HashiCorp's HCL parser (hashicorp/hcl/v2,
 * the one Terraform and OpenTofu use) compiled to WebAssembly. No provider
 * schemas are involved, so attributes are checked as written: literals come
 * back as JSON values, expressions as "${...}" strings.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join, relative } from 'node:path'

// Imported by a computed name: the package's typings reference the DOM lib,
// which would clash with Bun's types across the whole workspace type-check.
const HCL2JSON = '@cdktf/hcl2json'
const { parse } = (await import(HCL2JSON)) as { parse(filename: string, contents: string): Promise<Record<string, unknown>> }

export const TERRAFORM_DIR = join(import.meta.dir, '..')
export const REPO_DIR = join(TERRAFORM_DIR, '..')

/** A block body: attribute name -> value; nested blocks are arrays of bodies. */
export type Body = Record<string, unknown>

/** One module directory, all of its *.tf files merged. */
export interface TfModule {
  dir: string
  /** Path relative to terraform/, e.g. "eks-cluster" or "modules/vpc". */
  name: string
  files: string[]
  resource: Record<string, Record<string, Body>>
  data: Record<string, Record<string, Body>>
  module: Record<string, Body>
  variable: Record<string, Body>
  output: Record<string, Body>
  provider: Record<string, Body[]>
  locals: Body
  requiredProviders: Record<string, { source?: string; version?: string }>
  requiredVersion: string | undefined
}

export const ROOT_MODULES = ['ecr', 'eks-cluster', 'eks'] as const

/** Every module directory: the three roots, then terraform/modules/*. */
export function moduleDirs(): string[] {
  const shared = readdirSync(join(TERRAFORM_DIR, 'modules'))
    .map((d) => join('modules', d))
    .filter((d) => statSync(join(TERRAFORM_DIR, d)).isDirectory())
    .sort()
  return [...ROOT_MODULES, ...shared]
}

/** Every *.tf file under terraform/, relative to it. */
export function tfFiles(): string[] {
  return moduleDirs().flatMap((d) =>
    readdirSync(join(TERRAFORM_DIR, d))
      .filter((f) => f.endsWith('.tf'))
      .sort()
      .map((f) => join(d, f)),
  )
}

export async function parseFile(path: string): Promise<Body> {
  return (await parse(basename(path), readFileSync(path, 'utf8'))) as Body
}

const cache = new Map<string, Promise<TfModule>>()

/** Parses and merges every *.tf file of terraform/<name>. */
export function loadModule(name: string): Promise<TfModule> {
  let m = cache.get(name)
  if (!m) {
    m = load(name)
    cache.set(name, m)
  }
  return m
}

async function load(name: string): Promise<TfModule> {
  const dir = join(TERRAFORM_DIR, name)
  const files = readdirSync(dir).filter((f) => f.endsWith('.tf')).sort()
  const mod: TfModule = {
    dir, name, files,
    resource: {}, data: {}, module: {}, variable: {}, output: {}, provider: {}, locals: {},
    requiredProviders: {}, requiredVersion: undefined,
  }
  for (const f of files) {
    const doc = await parseFile(join(dir, f))
    mergeTyped(mod.resource, doc.resource)
    mergeTyped(mod.data, doc.data)
    mergeNamed(mod.module, doc.module)
    mergeNamed(mod.variable, doc.variable)
    mergeNamed(mod.output, doc.output)
    for (const [p, bodies] of Object.entries((doc.provider ?? {}) as Record<string, Body[]>)) {
      ;(mod.provider[p] ??= []).push(...bodies)
    }
    for (const l of (doc.locals ?? []) as Body[]) Object.assign(mod.locals, l)
    for (const t of (doc.terraform ?? []) as Body[]) {
      if (typeof t.required_version === 'string') mod.requiredVersion = t.required_version
      for (const rp of (t.required_providers ?? []) as Body[]) Object.assign(mod.requiredProviders, rp)
    }
  }
  return mod
}

// hcl2json gives `type "name" { ... }` as { type: { name: [body] } }.
function mergeTyped(into: Record<string, Record<string, Body>>, from: unknown): void {
  for (const [type, byName] of Object.entries((from ?? {}) as Record<string, Record<string, Body[]>>)) {
    for (const [name, bodies] of Object.entries(byName)) (into[type] ??= {})[name] = only(bodies)
  }
}

function mergeNamed(into: Record<string, Body>, from: unknown): void {
  for (const [name, bodies] of Object.entries((from ?? {}) as Record<string, Body[]>)) into[name] = only(bodies)
}

function only(bodies: Body[]): Body {
  if (bodies.length !== 1 || !bodies[0]) throw new Error(`expected one block, got ${bodies.length}`)
  return bodies[0]
}

/** The nested blocks `key` of a body (always a list, possibly empty). */
export function blocks(body: Body | undefined, key: string): Body[] {
  const v = body?.[key]
  return Array.isArray(v) ? (v as Body[]) : []
}

/** The single nested block `key`; throws when absent or repeated. */
export function block(body: Body | undefined, key: string): Body {
  const list = blocks(body, key)
  if (list.length !== 1 || !list[0]) throw new Error(`expected one "${key}" block, got ${list.length}`)
  return list[0]
}

/** A resource of a module, failing loudly when absent. */
export function resource(mod: TfModule, type: string, name: string): Body {
  const r = mod.resource[type]?.[name]
  if (!r) throw new Error(`${mod.name}: no resource ${type}.${name}`)
  return r
}

export function dataSource(mod: TfModule, type: string, name: string): Body {
  const r = mod.data[type]?.[name]
  if (!r) throw new Error(`${mod.name}: no data source ${type}.${name}`)
  return r
}

export function moduleCall(mod: TfModule, name: string): Body {
  const r = mod.module[name]
  if (!r) throw new Error(`${mod.name}: no module call ${name}`)
  return r
}

/** Every resource type used by a module. */
export function resourceTypes(mod: TfModule): string[] {
  return [...Object.keys(mod.resource), ...Object.keys(mod.data)]
}

/**
 * The string literals passed to `regex("...")` inside an HCL expression,
 * unescaped (HCL "\\." is the regex \.), ready for `new RegExp`.
 * RE2 and JavaScript agree on the simple patterns used in validations.
 */
export function regexLiterals(expr: string): RegExp[] {
  const out: RegExp[] = []
  for (const m of expr.matchAll(/regex\("((?:[^"\\]|\\.)*)"/g)) {
    out.push(new RegExp((m[1] ?? '').replace(/\\(.)/g, '$1')))
  }
  return out
}

export function rel(path: string): string {
  return relative(TERRAFORM_DIR, path)
}
