/**
 * Area 2, mass assignment and SSRF: every field that could steer the
 * upstream (address, credentials, headers, provider), with the decoy
 * metadata server's URL and the cloud metadata address as values, sent to
 * models served by the Bedrock and Perplexity emulators, streamed and not,
 * with the master and a virtual key; URLs, ARNs and paths as the model;
 * privilege fields on the key routes. Every one must be a 4xx (400
 * forbidden_parameter for steering fields and URL models) with 0 upstream
 * calls, and the decoy must see 0 connections. Fields the gateway accepts
 * but does not forward (metadata, headers) must not reach the upstream.
 */
import { startDecoy } from './decoy.ts'
import { ledgerMark, see } from './ledger.ts'
import { fig, Problems, type AreaResult } from './report.ts'
import { startWorld } from './world.ts'

const METADATA = 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'

export const STEERING_FIELDS = [
  'api_base', 'base_url', 'api_key', 'api_version', 'extra_headers', 'extra_body', 'extra_query', 'custom_llm_provider', 'mock_response',
  'organization', 'deployment_id', 'litellm_params', 'headers', 'aws_access_key_id', 'aws_secret_access_key', 'aws_session_token',
  'aws_region_name', 'aws_bedrock_runtime_endpoint', 'aws_role_name', 'aws_profile_name', 'aws_web_identity_token', 'azure_ad_token',
  'vertex_project', 'litellm_logging_obj',
]

function urlModels(decoy: string): string[] {
  return [
    decoy, `${decoy}/latest/meta-data/`, METADATA, 'file:///etc/passwd', 'gopher://127.0.0.2:80/_x', '//127.0.0.2/x',
    'arn:aws:bedrock:us-east-1:123456789012:foundation-model/amazon.nova-micro-v1:0', 'ARN:aws:iam::123456789012:role/x',
    '/etc/passwd', '/v1/chat/completions', '..\\..\\windows', 'bedrock/http://127.0.0.2/', 'openai/https://127.0.0.2/v1',
  ]
}

export async function runSsrf(): Promise<AreaResult> {
  const started = performance.now()
  const problems = new Problems()
  const mark = ledgerMark()
  const decoy = await startDecoy()
  const hits0 = decoy.hits()
  const w = await startWorld()
  const values = [decoy.url, METADATA, { url: decoy.url }, { host: '127.0.0.2', 'x-forwarded-host': '127.0.0.2' }, [decoy.url]]
  const chat = (model: string, extra: Record<string, unknown>, stream: boolean) =>
    ({ model, stream, messages: [{ role: 'user', content: 'hi' }], ...extra })
  let sent = 0
  let refused = 0
  const expect400 = async (what: string, body: unknown, key: string, code = 'forbidden_parameter', path = '/v1/chat/completions') => {
    sent++
    const r = await see(`ssrf ${what}`, await fetch(w.gw.url + path, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: JSON.stringify(body) }))
    const gotCode = r.status === 400 ? (JSON.parse(r.text) as { error: { code: string } }).error.code : ''
    if (r.status >= 400 && r.status < 500) refused++
    problems.check(r.status === 400 && gotCode === code, `${what}: ${r.status} ${gotCode} (want 400 ${code})`)
  }

  const keys = [w.master.authorization!.slice(7), w.virtualKey]
  for (const field of STEERING_FIELDS) {
    for (const [i, value] of values.entries()) {
      for (const model of ['nova', 'sonar']) await expect400(`${field}#${i} ${model}`, chat(model, { [field]: value }, i % 2 === 0), keys[i % 2]!)
    }
  }
  for (const model of urlModels(decoy.url)) {
    for (const stream of [false, true]) await expect400(`model ${model}`, chat(model, {}, stream), keys[stream ? 1 : 0]!)
  }
  // Privilege fields on the admin routes are refused too.
  for (const field of ['spend', 'token', 'key_hash', 'user_role', 'allowed_routes', 'role', 'team_id', 'permissions', 'api_base']) {
    await expect400(`key/generate ${field}`, { [field]: field === 'spend' ? -100 : decoy.url }, keys[0]!, 'unknown_parameter', '/key/generate')
  }
  const upstreamDuringRefusals = w.upstreamCalls()

  // Control: accepted-but-not-forwarded fields and hostile headers reach the emulators without the decoy's address.
  const headers = { authorization: `Bearer ${keys[0]}`, 'x-forwarded-host': '127.0.0.2', 'x-api-base': decoy.url, forwarded: `host=127.0.0.2` }
  for (const model of ['nova', 'sonar']) {
    for (const stream of [false, true]) {
      const body = chat(model, { metadata: { api_base: decoy.url, url: METADATA }, user: decoy.url }, stream)
      const r = await see(`ssrf control ${model}`, await fetch(`${w.gw.url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) }))
      problems.check(r.status === 200, `control ${model} stream=${stream}: ${r.status}`)
    }
  }
  const outbound = JSON.stringify([...w.bedrock.requests, ...w.pplx.requests])
  const forwardedDecoy = outbound.includes('127.0.0.2') || outbound.includes('169.254.169.254')
  problems.check(!forwardedDecoy, 'the decoy or metadata address reached an upstream request')
  problems.check(w.upstreamCalls() === 4, `control requests: ${w.upstreamCalls()} upstream calls (want 4)`)
  for (const a of await w.close()) problems.add(a)
  const decoyHits = decoy.hits() - hits0
  const m = ledgerMark()
  return {
    area: '2 mass assignment / SSRF',
    figures: [
      fig('hostile requests (fields × values × models, URL/ARN/path models, key-route privilege fields)', sent),
      fig('refused with 4xx', `${refused} / ${sent}`, 'all', refused === sent),
      fig('upstream calls caused', upstreamDuringRefusals, '0', upstreamDuringRefusals === 0),
      fig(`decoy metadata server hits (${decoy.url})`, decoyHits, '0', decoyHits === 0),
      fig('decoy/metadata address in outbound requests (control: metadata, user, x-forwarded-host)', forwardedDecoy ? 'yes' : 'no', 'no', !forwardedDecoy),
      fig('error answers not in the envelope', m.violations - mark.violations, '0', m.violations === mark.violations),
    ],
    problems: problems.list(),
    findings: [],
    ms: performance.now() - started,
  }
}
