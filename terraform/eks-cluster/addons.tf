# Cluster add-ons. Each AWS-facing one gets its own IRSA role, so no pod ever
# needs the node role (which IMDSv2 with hop limit 1 keeps out of pods' reach).

module "vpc_cni_irsa" {
  source = "../modules/irsa-role"

  name              = "${var.cluster_name}-vpc-cni"
  oidc_provider_arn = aws_iam_openid_connect_provider.this.arn
  namespace         = "kube-system"
  service_account   = "aws-node"
  policy_arns       = { cni = "${local.policy_prefix}/AmazonEKS_CNI_Policy" }
}

module "ebs_csi_irsa" {
  source = "../modules/irsa-role"

  name              = "${var.cluster_name}-ebs-csi"
  oidc_provider_arn = aws_iam_openid_connect_provider.this.arn
  namespace         = "kube-system"
  service_account   = "ebs-csi-controller-sa"
  policy_arns       = { ebs = "${local.policy_prefix}/service-role/AmazonEBSCSIDriverPolicy" }
}

# The VPC CNI with its network policy agent on: NetworkPolicy objects (the
# chart's default-deny and its allow rules) are enforced, not just stored.
resource "aws_eks_addon" "vpc_cni" {
  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = "vpc-cni"
  addon_version               = lookup(var.addon_versions, "vpc-cni", null)
  service_account_role_arn    = module.vpc_cni_irsa.arn
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"

  configuration_values = jsonencode({
    enableNetworkPolicy = "true"
  })
}

resource "aws_eks_addon" "kube_proxy" {
  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = "kube-proxy"
  addon_version               = lookup(var.addon_versions, "kube-proxy", null)
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"
}

# coredns and the EBS CSI driver need schedulable nodes to become ACTIVE.
resource "aws_eks_addon" "coredns" {
  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = "coredns"
  addon_version               = lookup(var.addon_versions, "coredns", null)
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"

  depends_on = [module.nodes]
}

resource "aws_eks_addon" "ebs_csi" {
  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = "aws-ebs-csi-driver"
  addon_version               = lookup(var.addon_versions, "aws-ebs-csi-driver", null)
  service_account_role_arn    = module.ebs_csi_irsa.arn
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"

  depends_on = [module.nodes]
}

module "lb_controller" {
  source = "../modules/aws-load-balancer-controller"

  cluster_name      = aws_eks_cluster.this.name
  region            = var.region
  vpc_id            = module.vpc.vpc_id
  oidc_provider_arn = aws_iam_openid_connect_provider.this.arn
  chart_version     = var.lb_controller_chart_version

  depends_on = [aws_eks_addon.coredns]
}
