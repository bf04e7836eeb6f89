output "region" {
  description = "AWS region of the cluster."
  value       = var.region
}

output "cluster_name" {
  description = "EKS cluster name (terraform/eks takes it as cluster_name)."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_version" {
  description = "Kubernetes version of the control plane."
  value       = aws_eks_cluster.this.version
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA bundle of the API endpoint."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "cluster_security_group_id" {
  description = "Security group EKS created for the control plane and managed nodes."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "oidc_provider_arn" {
  description = "IAM OIDC provider ARN, the federated principal of every IRSA role."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster."
  value       = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

output "vpc_id" {
  description = "VPC ID."
  value       = module.vpc.vpc_id
}

output "private_subnet_ids" {
  description = "Private subnets (nodes, pods)."
  value       = module.vpc.private_subnet_ids
}

output "public_subnet_ids" {
  description = "Public subnets (ALB, NAT)."
  value       = module.vpc.public_subnet_ids
}

output "public_subnet_cidrs" {
  description = "Public subnet CIDRs: the ALB's source addresses as pods see them (allow them in the chart's NetworkPolicy)."
  value       = module.vpc.public_subnet_cidrs
}

output "nat_public_ip" {
  description = "Egress IPv4 of the cluster (single NAT gateway), or null when there is none."
  value       = module.vpc.nat_public_ip
}

output "node_group_name" {
  description = "Spot managed node group name."
  value       = module.nodes.node_group_name
}

output "node_role_arn" {
  description = "IAM role of the nodes."
  value       = module.nodes.node_role_arn
}

output "irsa_role_arns" {
  description = "IRSA role ARNs of the cluster add-ons, by add-on."
  value = {
    vpc_cni                      = module.vpc_cni_irsa.arn
    ebs_csi                      = module.ebs_csi_irsa.arn
    aws_load_balancer_controller = module.lb_controller.role_arn
  }
}

output "kubeconfig_command" {
  description = "Command that writes a kubeconfig entry for this cluster."
  value       = "aws eks update-kubeconfig --region ${var.region} --name ${aws_eks_cluster.this.name}"
}
