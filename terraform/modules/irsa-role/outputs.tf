output "arn" {
  description = "Role ARN: the value of the ServiceAccount annotation eks.amazonaws.com/role-arn."
  value       = aws_iam_role.this.arn
}

output "name" {
  description = "Role name."
  value       = aws_iam_role.this.name
}

output "service_account_subject" {
  description = "The only token subject the role trusts (system:serviceaccount:<namespace>:<name>)."
  value       = local.subject
}
