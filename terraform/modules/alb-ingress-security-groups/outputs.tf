output "isp_security_group_id" {
  description = "ID of the isp group (configured CIDRs)."
  value       = aws_security_group.isp.id
}

output "cloudflare_security_group_id" {
  description = "ID of the cloudflare group, or null when enable_cloudflare is false."
  value       = try(aws_security_group.cloudflare[0].id, null)
}

output "security_group_ids" {
  description = "Every group to attach to the ALB (the isp group, plus the cloudflare group when enabled)."
  value       = compact([aws_security_group.isp.id, try(aws_security_group.cloudflare[0].id, "")])
}
