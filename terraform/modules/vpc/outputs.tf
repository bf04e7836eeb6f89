output "vpc_id" {
  description = "VPC ID."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnet IDs, one per AZ, in the order of var.azs."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnet IDs, one per AZ, in the order of var.azs."
  value       = aws_subnet.private[*].id
}

output "public_subnet_cidrs" {
  description = "Public subnet CIDRs (where ALB nodes live: the source of ALB-to-pod traffic)."
  value       = aws_subnet.public[*].cidr_block
}

output "private_subnet_cidrs" {
  description = "Private subnet CIDRs (nodes and pods)."
  value       = aws_subnet.private[*].cidr_block
}

output "nat_gateway_id" {
  description = "ID of the single NAT gateway, or null when enable_nat_gateway is false."
  value       = try(aws_nat_gateway.this[0].id, null)
}

output "nat_public_ip" {
  description = "Public IPv4 of the NAT gateway (the address Bedrock and other upstreams see), or null when disabled."
  value       = try(aws_eip.nat[0].public_ip, null)
}
