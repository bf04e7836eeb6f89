import { expect, test } from 'bun:test'
import { clusterName, requireAws } from './env.ts'
import { UsageError } from './errors.ts'

test.each([
  [{}, 'AWS_REGION is not set (e.g. export AWS_REGION=us-east-1)'],
  [{ AWS_REGION: 'us-east-1' }, 'AWS_PROFILE is not set (nor AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY): no AWS credentials to use'],
  [{ AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' }, 'AWS_SECRET_ACCESS_KEY is not set (the other half of the key pair is)'],
  [{ AWS_DEFAULT_REGION: 'us-east-1', AWS_SECRET_ACCESS_KEY: 'x' }, 'AWS_ACCESS_KEY_ID is not set (the other half of the key pair is)'],
  [{ AWS_REGION: ' ', AWS_PROFILE: 'ops' }, 'AWS_REGION is not set (e.g. export AWS_REGION=us-east-1)'],
])('requireAws(%p) fails with one line naming the variable', (env, message) => {
  expect(() => requireAws(env)).toThrow(new UsageError(message))
})

test.each([
  [{ AWS_REGION: 'eu-west-1', AWS_PROFILE: 'ops' }, 'eu-west-1'],
  [{ AWS_DEFAULT_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' }, 'us-east-1'],
  [{ AWS_REGION: 'us-east-1', AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token' }, 'us-east-1'],
])('requireAws(%p) accepts a configured environment', (env, region) => {
  expect(requireAws(env)).toEqual({ region })
})

test('clusterName defaults to the terraform default and validates EKS_CLUSTER', () => {
  expect([clusterName({}), clusterName({ EKS_CLUSTER: 'prod-1' })]).toEqual(['llm-gateway', 'prod-1'])
  expect(() => clusterName({ EKS_CLUSTER: 'bad name' })).toThrow('EKS_CLUSTER "bad name" is not a valid cluster name')
})
