import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CHART, NO_HELM, podSpec, renderOk, SCENARIOS, type K8s } from './render.ts'

// Pod Security Standards "restricted", plus a read-only root filesystem, on
// every pod and container the chart can render.
const ALL_ON = { 'openWebui.enabled': true, 'redis.enabled': true, 'tests.enabled': true }
const workloads = (docs: K8s[]) => docs.filter((d) => d.kind === 'Deployment' || d.kind === 'Pod')

const cases = [...SCENARIOS.map((s) => ({ name: s.name, opts: { files: s.files } })), { name: 'everything on', opts: { set: ALL_ON } }]

describe.each(cases)('security context ($name)', ({ opts }) => {
  test.skipIf(NO_HELM)('every pod runs as UID/GID 1000, non-root, seccomp RuntimeDefault, without an API token or host access', () => {
    const pods = workloads(renderOk(opts))
    expect(pods.length).toBeGreaterThan(0)
    for (const w of pods) {
      const spec = podSpec(w)
      expect({ name: w.metadata.name, securityContext: spec.securityContext }).toMatchObject({
        name: w.metadata.name,
        securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      })
      expect(spec.automountServiceAccountToken).toBe(false)
      expect(spec.hostNetwork ?? false).toBe(false)
      expect(spec.hostPID ?? false).toBe(false)
      expect(spec.hostIPC ?? false).toBe(false)
      for (const v of spec.volumes ?? []) expect(Object.keys(v).filter((k) => k !== 'name')).toEqual([expect.stringMatching(/^(configMap|secret|emptyDir|persistentVolumeClaim|projected|downwardAPI)$/)])
    }
  })

  test.skipIf(NO_HELM)('every container drops all capabilities, cannot escalate and has requests and limits', () => {
    for (const w of workloads(renderOk(opts))) {
      const spec = podSpec(w)
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        expect({ pod: w.metadata.name, container: c.name, securityContext: c.securityContext }).toEqual({
          pod: w.metadata.name,
          container: c.name,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: c.name === 'open-webui' ? expect.any(Boolean) : true,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          },
        })
        expect(c.ports?.some((p: any) => p.hostPort) ?? false).toBe(false)
        expect(Object.keys(c.resources.requests ?? {}).sort()).toEqual(['cpu', 'memory'])
        expect(Object.keys(c.resources.limits ?? {}).sort()).toEqual(['cpu', 'memory'])
      }
    }
  })

  test.skipIf(NO_HELM)('a read-only container gets a writable emptyDir at /tmp', () => {
    for (const w of workloads(renderOk(opts))) {
      const spec = podSpec(w)
      for (const c of spec.containers) {
        const tmp = c.volumeMounts.find((m: any) => m.mountPath === '/tmp')
        expect({ container: c.name, tmp: spec.volumes.find((v: any) => v.name === tmp?.name)?.emptyDir !== undefined }).toEqual({ container: c.name, tmp: true })
      }
    }
  })
})

test.skipIf(NO_HELM)('Open WebUI keeps a read-only root filesystem by default', () => {
  const docs = renderOk({ set: { 'openWebui.enabled': true } })
  const owui = workloads(docs).find((d) => d.metadata.name.endsWith('open-webui'))!
  expect(podSpec(owui).containers[0].securityContext.readOnlyRootFilesystem).toBe(true)
})

describe('security fields are literal in the templates (no values file can weaken them)', () => {
  const templates = [...new Bun.Glob('templates/**/*.yaml').scanSync(CHART)].filter((f) => readFileSync(join(CHART, f), 'utf8').includes('containers:'))

  test('every workload template exists', () => {
    expect(templates.sort()).toEqual(['templates/deployment.yaml', 'templates/open-webui/deployment.yaml', 'templates/redis/deployment.yaml', 'templates/tests/test-harness.yaml'])
  })

  test.each(templates)('%s writes the restricted fields literally', (file) => {
    const lines = readFileSync(join(CHART, file), 'utf8').split('\n').map((l) => l.trim())
    for (const literal of ['runAsNonRoot: true', 'runAsUser: 1000', 'runAsGroup: 1000', 'allowPrivilegeEscalation: false', 'privileged: false', 'drop: ["ALL"]', 'type: RuntimeDefault', 'automountServiceAccountToken: false']) {
      expect({ file, literal, found: lines.includes(literal) }).toEqual({ file, literal, found: true })
    }
    const readOnly = lines.find((l) => l.startsWith('readOnlyRootFilesystem:'))
    expect(readOnly).toBe(file.includes('open-webui') ? 'readOnlyRootFilesystem: {{ $o.readOnlyRootFilesystem }}' : 'readOnlyRootFilesystem: true')
  })
})
