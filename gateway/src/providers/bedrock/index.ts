/**
 * The AWS Bedrock provider: the thin I/O edge around the pure mappings in
 * converse.ts, response.ts and stream.ts, using the Converse and
 * ConverseStream APIs of `@aws-sdk/client-bedrock-runtime`.
 *
 * Deployment params (LiteLLM's names):
 * - `aws_region_name`: region; default env AWS_REGION, then AWS_DEFAULT_REGION.
 * - `aws_bedrock_runtime_endpoint`: endpoint override; without it the SDK
 *   honours env AWS_ENDPOINT_URL_BEDROCK_RUNTIME, then the regional endpoint.
 * - `aws_access_key_id` + `aws_secret_access_key` (+ `aws_session_token`):
 *   explicit credentials; without them the SDK's default chain (env, IRSA web
 *   identity, instance role).
 */
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { errors } from '../../errors/gateway-error.ts'
import { upstreamError } from '../../errors/upstream.ts'
import type { ChatRequest } from '../../openai/types.ts'
import type { CallContext, Deployment, Provider, ProviderResult, StreamEvent } from '../types.ts'
import { boundedHandler } from './bounded-handler.ts'
import { toConverseInput } from './converse.ts'
import { bedrockError } from './errors.ts'
import { fromConverseOutput } from './response.ts'
import { mapConverseStream } from './stream.ts'

const SUPPORTED_PARAMS: ReadonlySet<string> = new Set(['temperature', 'top_p', 'max_tokens', 'stop', 'tools', 'tool_choice'])

interface ClientSettings {
  region: string
  endpoint?: string
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
}

/**
 * Creates the Bedrock provider. It keeps one BedrockRuntimeClient (with its
 * keep-alive connection pool) per region, endpoint and explicit credentials.
 * The SDK makes one attempt per call: the gateway owns retries.
 */
export function createBedrockProvider(): Provider {
  const clients = new Map<string, BedrockRuntimeClient>()

  function clientFor(deployment: Deployment): BedrockRuntimeClient {
    const settings = clientSettings(deployment)
    const c = settings.credentials
    // The secret is hashed so the cache key holds no second plaintext copy of it.
    const key = [settings.region, settings.endpoint ?? '', c?.accessKeyId ?? '', c ? Bun.hash(`${c.secretAccessKey}\0${c.sessionToken ?? ''}`) : ''].join('|')
    let client = clients.get(key)
    if (!client) {
      client = new BedrockRuntimeClient({
        ...settings,
        maxAttempts: 1,
        // The default HTTP/2 handler cannot talk to a cleartext HTTP/1.1 endpoint (emulators, proxies).
        // Response bodies pass through size guards (bounded-handler.ts).
        requestHandler: boundedHandler(
          new NodeHttpHandler({
            httpAgent: new HttpAgent({ keepAlive: true }),
            httpsAgent: new HttpsAgent({ keepAlive: true }),
          }),
        ),
      })
      clients.set(key, client)
    }
    return client
  }

  return {
    name: 'bedrock',
    supportedParams: SUPPORTED_PARAMS,

    async complete(req: ChatRequest, deployment: Deployment, ctx: CallContext): Promise<ProviderResult> {
      const input = toConverseInput(req, deployment)
      const client = clientFor(deployment)
      try {
        return fromConverseOutput(await client.send(new ConverseCommand(input), { abortSignal: ctx.signal }))
      } catch (err) {
        throw bedrockError(err, { signal: ctx.signal })
      }
    },

    async *stream(req: ChatRequest, deployment: Deployment, ctx: CallContext): AsyncGenerator<StreamEvent> {
      const input = toConverseInput(req, deployment)
      const client = clientFor(deployment)
      // A consumer that stops reading early (break, return) also ends the upstream HTTP request.
      const stopped = new AbortController()
      let completed = false
      try {
        let events: AsyncIterable<ConverseStreamOutput> | undefined
        try {
          const abortSignal = AbortSignal.any([ctx.signal, stopped.signal])
          events = (await client.send(new ConverseStreamCommand(input), { abortSignal })).stream
        } catch (err) {
          throw bedrockError(err, { signal: ctx.signal })
        }
        if (!events) throw upstreamError({ provider: 'bedrock', kind: 'bad_response', cause: new Error('ConverseStream output has no stream') })
        yield* mapConverseStream(events, ctx.signal)
        completed = true
      } finally {
        if (!completed) stopped.abort()
      }
    },
  }
}

function clientSettings(deployment: Deployment): ClientSettings {
  const p = deployment.params
  const region = str(p.aws_region_name) ?? str(process.env.AWS_REGION) ?? str(process.env.AWS_DEFAULT_REGION)
  if (!region) throw errors.modelUnavailable(deployment.modelName, 'no AWS region is configured (aws_region_name or AWS_REGION).')
  const settings: ClientSettings = { region }
  const endpoint = str(p.aws_bedrock_runtime_endpoint)
  if (endpoint) settings.endpoint = endpoint
  const accessKeyId = str(p.aws_access_key_id)
  const secretAccessKey = str(p.aws_secret_access_key)
  if (accessKeyId && secretAccessKey) {
    const sessionToken = str(p.aws_session_token)
    settings.credentials = sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey }
  }
  return settings
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined
}
