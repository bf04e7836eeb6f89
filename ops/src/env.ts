/**
 * Preconditions of the ops commands, checked before any client is built so a
 * missing setting fails with one line naming the variable to set.
 */

import { UsageError } from './errors.ts'

export type Env = Record<string, string | undefined>

const set = (env: Env, name: string) => (env[name] ?? '').trim() !== ''

/** The AWS region to use; fails when neither AWS_REGION nor AWS_DEFAULT_REGION is set. */
export function requireAwsRegion(env: Env): string {
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim()
  if (!region) throw new UsageError('AWS_REGION is not set (e.g. export AWS_REGION=us-east-1)')
  return region
}

/**
 * Fails unless some AWS credential source is configured through the
 * environment: a profile, static keys (both halves), web identity or container credentials.
 */
export function requireAwsCredentials(env: Env): void {
  if (set(env, 'AWS_ACCESS_KEY_ID') !== set(env, 'AWS_SECRET_ACCESS_KEY')) {
    throw new UsageError(`${set(env, 'AWS_ACCESS_KEY_ID') ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'} is not set (the other half of the key pair is)`)
  }
  const sources = ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']
  if (!sources.some((s) => set(env, s))) {
    throw new UsageError('AWS_PROFILE is not set (nor AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY): no AWS credentials to use')
  }
}

/** Region and credentials for commands that call AWS. */
export function requireAws(env: Env): { region: string } {
  const region = requireAwsRegion(env)
  requireAwsCredentials(env)
  return { region }
}

/** The cluster the commands act on: EKS_CLUSTER, default llm-gateway (terraform's default). */
export function clusterName(env: Env): string {
  const name = env.EKS_CLUSTER?.trim() || 'llm-gateway'
  if (!/^[a-zA-Z][a-zA-Z0-9-]{0,99}$/.test(name)) throw new UsageError(`EKS_CLUSTER "${name}" is not a valid cluster name`)
  return name
}
