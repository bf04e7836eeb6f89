import { beforeEach, describe, expect, test } from 'bun:test'
import { DescribeClusterCommand, DescribeNodegroupCommand, EKSClient, ListNodegroupsCommand } from '@aws-sdk/client-eks'
import { GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand, ListRolesCommand } from '@aws-sdk/client-iam'
import { mockClient } from 'aws-sdk-client-mock'
import { TEST_CLIENT_CONFIG } from './fakes.ts'
import { formatIamReport, iamReport, irsaTrust, policyWarnings, type Statement } from './iam-report.ts'

const HOST = 'oidc.eks.us-east-1.amazonaws.com/id/ABC123'
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${HOST}`
const enc = (doc: unknown) => encodeURIComponent(JSON.stringify(doc))
const trust = (condition: Statement['Condition'], provider = PROVIDER): { Version: string; Statement: Statement[] } => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: provider }, Condition: condition }],
})

describe('irsaTrust', () => {
  test('maps a pinned sub and aud to one ServiceAccount with no warnings', () => {
    const doc = trust({ StringEquals: { [`${HOST}:sub`]: 'system:serviceaccount:llm-gateway:llm-gateway', [`${HOST}:aud`]: 'sts.amazonaws.com' } })
    expect(irsaTrust(doc.Statement, HOST)).toEqual({ serviceAccounts: ['llm-gateway/llm-gateway'], warnings: [] })
  })

  test.each([
    ['no sub', {}, ['no sub condition: any ServiceAccount in the cluster can assume it', 'audience not pinned to sts.amazonaws.com']],
    ['a wildcard sub', { StringLike: { [`${HOST}:sub`]: 'system:serviceaccount:llm-gateway:*' }, StringEquals: { [`${HOST}:aud`]: 'sts.amazonaws.com' } }, ['wildcard subject system:serviceaccount:llm-gateway:*']],
  ])('warns about %s', (_, condition, warnings) => {
    expect(irsaTrust(trust(condition).Statement, HOST)?.warnings).toEqual(warnings)
  })

  test("ignores roles trusting another cluster's issuer or a service", () => {
    expect(irsaTrust(trust({}, 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/OTHER').Statement, HOST)).toBeNull()
    expect(irsaTrust([{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: 'ec2.amazonaws.com' }], HOST)).toBeNull()
  })
})

test('policyWarnings flags wildcard actions and Resource "*"', () => {
  expect(policyWarnings('p', [
    { Effect: 'Allow', Action: ['bedrock:InvokeModel'], Resource: ['arn:aws:bedrock:us-east-1::foundation-model/x'] },
    { Effect: 'Allow', Action: 's3:*', Resource: '*' },
  ])).toEqual(['p: wildcard action s3:*', 'p: 1 statement(s) on Resource "*"'])
})

describe('iamReport', () => {
  const iam = new IAMClient(TEST_CLIENT_CONFIG)
  const eks = new EKSClient(TEST_CLIENT_CONFIG)
  const iamMock = mockClient(iam)
  const eksMock = mockClient(eks)

  beforeEach(() => {
    iamMock.reset()
    eksMock.reset()
    eksMock.on(DescribeClusterCommand).resolves({ cluster: { identity: { oidc: { issuer: `https://${HOST}` } } } })
    eksMock.on(ListNodegroupsCommand).resolves({ nodegroups: ['llm-gateway-spot'] })
    eksMock.on(DescribeNodegroupCommand).resolves({ nodegroup: { nodeRole: 'arn:aws:iam::111122223333:role/llm-gateway-spot-node' } })
    iamMock.on(ListRolesCommand)
      .resolvesOnce({
        Roles: [{ RoleName: 'llm-gateway-gateway', Path: '/', RoleId: 'a', Arn: 'arn:r1', CreateDate: new Date(), AssumeRolePolicyDocument: enc(trust({ StringEquals: { [`${HOST}:sub`]: 'system:serviceaccount:llm-gateway:llm-gateway', [`${HOST}:aud`]: 'sts.amazonaws.com' } })) }],
        IsTruncated: true,
        Marker: 'm2',
      })
      .resolvesOnce({
        Roles: [
          { RoleName: 'llm-gateway-ebs-csi', Path: '/', RoleId: 'b', Arn: 'arn:r2', CreateDate: new Date(), AssumeRolePolicyDocument: enc(trust({ StringEquals: { [`${HOST}:sub`]: 'system:serviceaccount:kube-system:ebs-csi-controller-sa', [`${HOST}:aud`]: 'sts.amazonaws.com' } })) },
          { RoleName: 'unrelated', Path: '/', RoleId: 'c', Arn: 'arn:r3', CreateDate: new Date(), AssumeRolePolicyDocument: enc({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }] }) },
        ],
        IsTruncated: false,
      })
    iamMock.on(ListRolePoliciesCommand, { RoleName: 'llm-gateway-gateway' }).resolves({ PolicyNames: ['gateway'] })
    iamMock.on(ListRolePoliciesCommand, { RoleName: 'llm-gateway-ebs-csi' }).resolves({ PolicyNames: [] })
    iamMock.on(GetRolePolicyCommand).resolves({
      RoleName: 'llm-gateway-gateway',
      PolicyName: 'gateway',
      PolicyDocument: enc({ Statement: [{ Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: ['arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0'] }] }),
    })
    iamMock.on(ListAttachedRolePoliciesCommand, { RoleName: 'llm-gateway-gateway' }).resolves({ AttachedPolicies: [] })
    iamMock.on(ListAttachedRolePoliciesCommand, { RoleName: 'llm-gateway-ebs-csi' }).resolves({ AttachedPolicies: [{ PolicyName: 'AmazonEBSCSIDriverPolicy' }] })
    iamMock.on(ListAttachedRolePoliciesCommand, { RoleName: 'llm-gateway-spot-node' }).resolves({
      AttachedPolicies: [{ PolicyName: 'AmazonEKSWorkerNodePolicy' }, { PolicyName: 'AmazonEC2ContainerRegistryPullOnly' }],
    })
  })

  test("maps the cluster's IRSA roles to ServiceAccounts and lists the node roles", async () => {
    const r = await iamReport({ iam, eks }, 'llm-gateway')
    expect(r).toEqual({
      cluster: 'llm-gateway',
      issuer: `https://${HOST}`,
      irsa: [
        { role: 'llm-gateway-ebs-csi', serviceAccounts: ['kube-system/ebs-csi-controller-sa'], policies: ['AmazonEBSCSIDriverPolicy'], warnings: [] },
        { role: 'llm-gateway-gateway', serviceAccounts: ['llm-gateway/llm-gateway'], policies: ['gateway (inline)'], warnings: [] },
      ],
      nodeRoles: [{ nodegroup: 'llm-gateway-spot', role: 'llm-gateway-spot-node', policies: ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly'] }],
    })
    expect(iamMock.commandCalls(ListRolesCommand).map((c) => c.args[0].input.Marker)).toEqual([undefined, 'm2'])
    const text = formatIamReport(r)
    expect(text).toContain('llm-gateway-gateway  llm-gateway/llm-gateway')
    expect(text).toContain('llm-gateway-spot  llm-gateway-spot-node')
  })
})
