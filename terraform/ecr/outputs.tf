output "repository_urls" {
  description = "Repository URL per image key, e.g. repository_urls[\"gateway\"] is the gateway's image.repository."
  value       = { for k, m in module.repository : k => m.repository_url }
}

output "repository_arns" {
  description = "Repository ARN per image key (for CI push policies)."
  value       = { for k, m in module.repository : k => m.arn }
}

output "repository_names" {
  description = "Repository name per image key; terraform/eks takes the gateway's as gateway_repository_name."
  value       = { for k, m in module.repository : k => m.name }
}
