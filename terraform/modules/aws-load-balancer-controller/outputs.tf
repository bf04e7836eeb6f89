output "role_arn" {
  description = "IRSA role ARN of the controller."
  value       = module.irsa.arn
}

output "release_name" {
  description = "Helm release name."
  value       = helm_release.this.name
}

output "chart_version" {
  description = "Chart version deployed."
  value       = helm_release.this.version
}
