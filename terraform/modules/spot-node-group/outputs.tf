output "node_group_name" {
  description = "Node group name."
  value       = aws_eks_node_group.this.node_group_name
}

output "node_group_arn" {
  description = "Node group ARN."
  value       = aws_eks_node_group.this.arn
}

output "node_role_arn" {
  description = "IAM role of the nodes (for EKS access entries; pods never use it: IMDS is out of their reach)."
  value       = aws_iam_role.node.arn
}

output "node_role_name" {
  description = "IAM role name of the nodes."
  value       = aws_iam_role.node.name
}

output "launch_template_id" {
  description = "Launch template ID (IMDSv2 required, hop limit 1)."
  value       = aws_launch_template.this.id
}
