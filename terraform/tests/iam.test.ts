import { describe, expect, test } from 'bun:test'
import { block, blocks, dataSource, loadModule, moduleCall, regexLiterals, type Body } from './hcl.ts'

const statements = (doc: Body) => blocks(doc, 'statement')
const actionsOf = (doc: Body) => statements(doc).flatMap((s) => (s.actions ?? []) as string[])

describe('gateway IRSA policy (terraform/eks)', () => {
  test('allows exactly bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream, and GetSecretValue', async () => {
    const eks = await loadModule('eks')
    const policy = dataSource(eks, 'aws_iam_policy_document', 'gateway')
    expect(actionsOf(policy).sort()).toEqual([
      'bedrock:InvokeModel',
      'bedrock:InvokeModelWithResponseStream',
      'secretsmanager:GetSecretValue',
    ])
    expect(statements(policy).map((s) => [s.effect, s.not_actions, s.not_resources, s.condition])).toEqual([
      ['Allow', undefined, undefined, undefined],
      ['Allow', undefined, undefined, undefined],
    ])
  })

  test('names its resources: the configured model and inference-profile ARNs, and its one secret, never "*"', async () => {
    const eks = await loadModule('eks')
    const [bedrock, secret] = statements(dataSource(eks, 'aws_iam_policy_document', 'gateway'))
    expect(bedrock?.resources).toBe('${concat(var.bedrock_model_arns, var.bedrock_inference_profile_arns)}')
    expect(secret?.resources).toEqual(['${aws_secretsmanager_secret.gateway.arn}'])
    expect(JSON.stringify(dataSource(eks, 'aws_iam_policy_document', 'gateway'))).not.toContain('*')
  })

  const ARN_CASES: [string, string, boolean][] = [
    ['bedrock_model_arns', 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0', true],
    ['bedrock_model_arns', 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0', true],
    ['bedrock_model_arns', 'arn:aws:bedrock:us-east-1::foundation-model/*', false],
    ['bedrock_model_arns', 'arn:aws:bedrock:*::foundation-model/amazon.nova-micro-v1:0', false],
    ['bedrock_model_arns', '*', false],
    ['bedrock_inference_profile_arns', 'arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.amazon.nova-micro-v1:0', true],
    ['bedrock_inference_profile_arns', 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc123', true],
    ['bedrock_inference_profile_arns', 'arn:aws:bedrock:us-east-1:111122223333:inference-profile/*', false],
    ['bedrock_inference_profile_arns', 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0', false],
  ]
  test.each(ARN_CASES)('%s validation: %s accepted = %p', async (variable, arn, accepted) => {
    const eks = await loadModule('eks')
    const [re] = regexLiterals(String(block(eks.variable[variable], 'validation').condition))
    expect(re?.test(arn)).toBe(accepted)
  })

  test('the gateway role trusts only the chart ServiceAccount in the gateway namespace', async () => {
    const eks = await loadModule('eks')
    const call = moduleCall(eks, 'gateway_irsa')
    expect([call.source, call.namespace, call.service_account, call.inline_policies]).toEqual([
      '../modules/irsa-role',
      '${var.namespace}',
      '${var.service_account_name}',
      { gateway: '${data.aws_iam_policy_document.gateway.json}' },
    ])
    expect(call.policy_arns).toBeUndefined()
  })
})

describe('IRSA role module', () => {
  test('trust pins sub to one ServiceAccount and aud to sts.amazonaws.com, for web identity only', async () => {
    const irsa = await loadModule('modules/irsa-role')
    const [st] = statements(dataSource(irsa, 'aws_iam_policy_document', 'trust'))
    expect(st?.actions).toEqual(['sts:AssumeRoleWithWebIdentity'])
    expect(block(st, 'principals')).toEqual({ type: 'Federated', identifiers: ['${var.oidc_provider_arn}'] })
    expect(blocks(st, 'condition')).toEqual([
      { test: 'StringEquals', variable: '${local.issuer}:sub', values: ['${local.subject}'] },
      { test: 'StringEquals', variable: '${local.issuer}:aud', values: ['sts.amazonaws.com'] },
    ])
    expect(irsa.locals.subject).toBe('system:serviceaccount:${var.namespace}:${var.service_account}')
  })

  test.each([
    ['eks-cluster', 'vpc_cni_irsa', 'kube-system', 'aws-node'],
    ['eks-cluster', 'ebs_csi_irsa', 'kube-system', 'ebs-csi-controller-sa'],
    ['modules/aws-load-balancer-controller', 'irsa', '${var.namespace}', '${var.service_account}'],
  ])('%s gives %s its own role for %s/%s', async (dir, name, namespace, sa) => {
    const call = moduleCall(await loadModule(dir), name)
    expect([call.source, call.namespace, call.service_account]).toEqual([expect.stringMatching(/^\.\.\/(modules\/)?irsa-role$/), namespace, sa])
  })

  test('nodes do not carry the CNI policy (the VPC CNI has its own IRSA role)', async () => {
    const ng = await loadModule('modules/spot-node-group')
    expect(JSON.stringify(ng.locals)).not.toContain('AmazonEKS_CNI_Policy')
  })
})
