/**
 * Renders the chart with the real `helm template` for the tests beside this
 * file. Helm comes from `.tools/bin/helm` (built by `make chart-check`), the
 * HELM environment variable, or PATH; without it the tests skip.
 */
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

// js-yaml is the gateway package's dependency; the chart tests have no package of their own.
export const yaml = createRequire(join(import.meta.dir, '../../../gateway/package.json'))('js-yaml') as {
  load(text: string): unknown
  loadAll(text: string): unknown[]
}

export const REPO = join(import.meta.dir, '../../..')
export const CHART = join(REPO, 'helm/llm-gateway')
export const KUBE_VERSION = '1.34.0'

function findHelm(): string | undefined {
  if (process.env.HELM && existsSync(process.env.HELM)) return process.env.HELM
  const built = join(REPO, '.tools/bin/helm')
  if (existsSync(built)) return built
  return Bun.which('helm') ?? undefined
}

export const HELM = findHelm()
/** For `test.skipIf(NO_HELM)`: the reason is printed once when this module loads. */
export const NO_HELM = HELM === undefined
if (NO_HELM) console.warn('helm/llm-gateway/tests: helm not found, chart tests skipped (run `make chart-check` to build it into .tools/bin)')

/** A Kubernetes object as rendered; tests read it through these loose types. */
export type K8s = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: any; data?: Record<string, string> }

export interface Render {
  ok: boolean
  docs: K8s[]
  stderr: string
}

const cache = new Map<string, Render>()

/**
 * `helm template` with `--set`-style pairs and values files (paths relative to
 * the chart). Values given as objects are passed with --set-json.
 */
export function render(opts: { set?: Record<string, unknown>; files?: string[] } = {}): Render {
  const args = ['template', 'rel', CHART, '--namespace', 'llm', '--kube-version', KUBE_VERSION]
  for (const f of opts.files ?? []) args.push('--values', join(CHART, f))
  for (const [k, v] of Object.entries(opts.set ?? {})) args.push('--set-json', `${k}=${JSON.stringify(v)}`)
  const key = args.join('\0')
  const hit = cache.get(key)
  if (hit) return hit
  if (!HELM) throw new Error('helm not found')
  const p = Bun.spawnSync([HELM, ...args], { stdout: 'pipe', stderr: 'pipe' })
  const stdout = p.stdout.toString()
  const result: Render = {
    ok: p.exitCode === 0,
    docs: p.exitCode === 0 ? (yaml.loadAll(stdout).filter((d) => d !== null) as K8s[]) : [],
    stderr: p.stderr.toString(),
  }
  cache.set(key, result)
  return result
}

/** Renders and fails the test with helm's message when the render fails. */
export function renderOk(opts: Parameters<typeof render>[0] = {}): K8s[] {
  const r = render(opts)
  if (!r.ok) throw new Error(`helm template failed:\n${r.stderr}`)
  return r.docs
}

export const find = (docs: K8s[], kind: string, name?: string) => docs.filter((d) => d.kind === kind && (name === undefined || d.metadata.name === name))

export function one(docs: K8s[], kind: string, name?: string): K8s {
  const found = find(docs, kind, name)
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`)
  return found[0]!
}

/** The pod spec of a workload (Deployment) or of a Pod. */
export const podSpec = (d: K8s): any => (d.kind === 'Pod' ? d.spec : d.spec.template.spec)

/** The value scenarios CI renders: the defaults and every ci/*-values.yaml. */
export const SCENARIOS: { name: string; files: string[] }[] = [
  { name: 'default', files: [] },
  ...[...new Bun.Glob('ci/*-values.yaml').scanSync(CHART)].sort().map((f) => ({ name: f, files: [f] })),
]

/** Names used in the tests: release "rel", chart "llm-gateway". */
export const NAMES = {
  gateway: 'rel-llm-gateway',
  openWebui: 'rel-llm-gateway-open-webui',
  redis: 'rel-llm-gateway-redis',
  test: 'rel-llm-gateway-test',
}
