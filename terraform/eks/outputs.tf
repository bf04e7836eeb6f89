output "namespace" {
  description = "Namespace of the gateway."
  value       = kubernetes_namespace_v1.this.metadata[0].name
}

output "release_name" {
  description = "Helm release name."
  value       = helm_release.gateway.name
}

output "image" {
  description = "Image deployed (repository:tag)."
  value       = "${data.aws_ecr_repository.gateway.repository_url}:${var.image_tag}"
}

output "gateway_role_arn" {
  description = "IRSA role of the gateway (Bedrock invoke on the configured ARNs, read of its one secret)."
  value       = module.gateway_irsa.arn
}

output "secret_arn" {
  description = "ARN of the gateway's Secrets Manager secret."
  value       = aws_secretsmanager_secret.gateway.arn
}

output "secret_name" {
  description = "Name of the gateway's Secrets Manager secret (set its value with aws secretsmanager put-secret-value)."
  value       = aws_secretsmanager_secret.gateway.name
}

output "alb_security_group_ids" {
  description = "ALB security groups by role; cloudflare is null in isp mode."
  value = {
    isp        = module.alb_security_groups.isp_security_group_id
    cloudflare = module.alb_security_groups.cloudflare_security_group_id
  }
}

output "cloudflare_cidrs" {
  description = "Cloudflare ranges admitted at this apply (empty in isp mode)."
  value       = local.cloudflare_cidrs
}

output "alb_hostname_command" {
  description = "Command that prints the ALB's DNS name once the controller has created it (point hostname's DNS record at it)."
  value       = "kubectl -n ${var.namespace} get ingress -o jsonpath='{.items[0].status.loadBalancer.ingress[0].hostname}'"
}
