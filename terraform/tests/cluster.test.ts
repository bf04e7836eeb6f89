import { describe, expect, test } from 'bun:test'
import { block, loadModule, moduleCall, moduleDirs, resource } from './hcl.ts'

const DEFAULT_TYPES = ['t3.medium', 't3a.medium', 't2.medium']

describe('node group', () => {
  test('is a managed node group of SPOT capacity over the configured instance types', async () => {
    const ng = resource(await loadModule('modules/spot-node-group'), 'aws_eks_node_group', 'this')
    expect([ng.capacity_type, ng.instance_types]).toEqual(['SPOT', '${var.instance_types}'])
  })

  test('defaults to t3.medium, t3a.medium and t2.medium, in the module and in eks-cluster', async () => {
    const mod = await loadModule('modules/spot-node-group')
    const root = await loadModule('eks-cluster')
    expect([mod.variable.instance_types?.default, root.variable.node_instance_types?.default]).toEqual([DEFAULT_TYPES, DEFAULT_TYPES])
    expect(moduleCall(root, 'nodes')).toMatchObject({ source: '../modules/spot-node-group', instance_types: '${var.node_instance_types}' })
  })

  test('launches from a template that requires IMDSv2 with hop limit 1', async () => {
    const mod = await loadModule('modules/spot-node-group')
    const lt = resource(mod, 'aws_launch_template', 'this')
    expect(block(lt, 'metadata_options')).toMatchObject({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 })
    expect(block(resource(mod, 'aws_eks_node_group', 'this'), 'launch_template')).toEqual({
      id: '${aws_launch_template.this.id}',
      version: '${aws_launch_template.this.latest_version}',
    })
  })

  test('no launch template anywhere allows IMDSv1 or a second hop', async () => {
    for (const dir of moduleDirs()) {
      for (const lt of Object.values((await loadModule(dir)).resource.aws_launch_template ?? {})) {
        expect(block(lt, 'metadata_options')).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1 })
      }
    }
  })
})

describe('network', () => {
  test('spans two AZs by default, with a public and a private subnet in each', async () => {
    const root = await loadModule('eks-cluster')
    const vpc = await loadModule('modules/vpc')
    expect(root.variable.az_count?.default).toBe(2)
    expect(root.locals.azs).toBe('${slice(data.aws_availability_zones.available.names, 0, var.az_count)}')
    expect([resource(vpc, 'aws_subnet', 'public').count, resource(vpc, 'aws_subnet', 'private').count]).toEqual(['${local.az_count}', '${local.az_count}'])
  })

  test('has a single NAT gateway, shared by every private subnet through one route table', async () => {
    const nats: string[] = []
    for (const dir of moduleDirs()) {
      for (const name of Object.keys((await loadModule(dir)).resource.aws_nat_gateway ?? {})) nats.push(`${dir}:${name}`)
    }
    expect(nats).toEqual(['modules/vpc:this'])
    const vpc = await loadModule('modules/vpc')
    const nat = resource(vpc, 'aws_nat_gateway', 'this')
    expect([nat.count, nat.for_each, nat.subnet_id]).toEqual(['${var.enable_nat_gateway ? 1 : 0}', undefined, '${aws_subnet.public[0].id}'])
    const rt = resource(vpc, 'aws_route_table', 'private')
    expect([rt.count, rt.for_each]).toEqual([undefined, undefined])
    expect(resource(vpc, 'aws_route', 'private_nat').nat_gateway_id).toBe('${aws_nat_gateway.this[0].id}')
    expect(resource(vpc, 'aws_route_table_association', 'private').route_table_id).toBe('${aws_route_table.private.id}')
  })
})

describe('add-ons', () => {
  test('the VPC CNI enforces NetworkPolicy', async () => {
    const cni = resource(await loadModule('eks-cluster'), 'aws_eks_addon', 'vpc_cni')
    expect(cni.addon_name).toBe('vpc-cni')
    expect(String(cni.configuration_values)).toMatch(/^\$\{jsonencode\(\{\s*enableNetworkPolicy\s*=\s*"true"\s*\}\)\}$/)
  })

  test('the EBS CSI driver and the VPC CNI run under their IRSA roles', async () => {
    const root = await loadModule('eks-cluster')
    expect([
      resource(root, 'aws_eks_addon', 'ebs_csi').addon_name,
      resource(root, 'aws_eks_addon', 'ebs_csi').service_account_role_arn,
      resource(root, 'aws_eks_addon', 'vpc_cni').service_account_role_arn,
    ]).toEqual(['aws-ebs-csi-driver', '${module.ebs_csi_irsa.arn}', '${module.vpc_cni_irsa.arn}'])
  })

  test('the AWS Load Balancer Controller is installed with its IRSA role on the ServiceAccount it trusts', async () => {
    const root = await loadModule('eks-cluster')
    expect(moduleCall(root, 'lb_controller').source).toBe('../modules/aws-load-balancer-controller')
    const lbc = await loadModule('modules/aws-load-balancer-controller')
    const release = resource(lbc, 'helm_release', 'this')
    expect([release.chart, release.repository, release.version]).toEqual([
      'aws-load-balancer-controller',
      'https://aws.github.io/eks-charts',
      '${var.chart_version}',
    ])
    const values = String(release.values)
    expect(values).toContain('"eks.amazonaws.com/role-arn" = module.irsa.arn')
    expect(values).toMatch(/name\s+= var\.service_account/)
    // IMDS is unreachable from pods, so region and VPC are passed in.
    expect(values).toMatch(/region\s+= var\.region/)
    expect(values).toMatch(/vpcId\s+= var\.vpc_id/)
  })

  test('the cluster uses managed add-ons only, with IRSA through an OIDC provider for sts.amazonaws.com', async () => {
    const root = await loadModule('eks-cluster')
    const cluster = resource(root, 'aws_eks_cluster', 'this')
    expect(cluster.bootstrap_self_managed_addons).toBe(false)
    expect(block(cluster, 'access_config').authentication_mode).toBe('API')
    expect(resource(root, 'aws_iam_openid_connect_provider', 'this').client_id_list).toEqual(['sts.amazonaws.com'])
  })
})
