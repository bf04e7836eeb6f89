# Security groups for the gateway's ALB. "isp" admits configured CIDRs,
# "cloudflare" admits Cloudflare's published ranges; both admit only the
# HTTPS listener port. Rules are separate resources, so rules added outside
# Terraform (make eks-allow-ip) survive an apply instead of being wiped.

locals {
  # Tag keys shared with ops/src/security-groups.ts (asserted by terraform/tests).
  role_tag    = "llm-gateway/alb-ingress"
  cluster_tag = "llm-gateway/cluster"
  isp_cidrs   = toset(var.isp_cidrs)
  cf_cidrs    = var.enable_cloudflare ? toset(var.cloudflare_cidrs) : toset([])
}

resource "aws_security_group" "isp" {
  name        = "${var.name}-alb-isp"
  description = "ALB ingress from configured CIDRs (HTTPS only)"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-alb-isp", (local.role_tag) = "isp", (local.cluster_tag) = var.cluster_name })

  lifecycle {
    precondition {
      condition     = var.enable_cloudflare || length(var.isp_cidrs) > 0
      error_message = "Without Cloudflare, isp_cidrs must list at least one CIDR, or nothing can reach the ALB."
    }
  }
}

resource "aws_vpc_security_group_ingress_rule" "isp" {
  for_each = local.isp_cidrs

  security_group_id = aws_security_group.isp.id
  description       = "HTTPS from ${each.value} (terraform)"
  ip_protocol       = "tcp"
  from_port         = var.listener_port
  to_port           = var.listener_port
  cidr_ipv4         = strcontains(each.value, ":") ? null : each.value
  cidr_ipv6         = strcontains(each.value, ":") ? each.value : null
  tags              = merge(var.tags, { ManagedBy = "terraform" })
}

resource "aws_vpc_security_group_egress_rule" "isp_to_targets" {
  security_group_id = aws_security_group.isp.id
  description       = "ALB to targets inside the VPC"
  ip_protocol       = "tcp"
  from_port         = 1024
  to_port           = 65535
  cidr_ipv4         = var.vpc_cidr
  tags              = merge(var.tags, { ManagedBy = "terraform" })
}

resource "aws_security_group" "cloudflare" {
  count = var.enable_cloudflare ? 1 : 0

  name        = "${var.name}-alb-cloudflare"
  description = "ALB ingress from Cloudflare's published ranges (HTTPS only)"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-alb-cloudflare", (local.role_tag) = "cloudflare", (local.cluster_tag) = var.cluster_name })

  lifecycle {
    precondition {
      condition     = length(var.cloudflare_cidrs) > 0
      error_message = "enable_cloudflare needs a non-empty cloudflare_cidrs list."
    }
  }
}

resource "aws_vpc_security_group_ingress_rule" "cloudflare" {
  for_each = local.cf_cidrs

  security_group_id = aws_security_group.cloudflare[0].id
  description       = "HTTPS from Cloudflare ${each.value} (terraform)"
  ip_protocol       = "tcp"
  from_port         = var.listener_port
  to_port           = var.listener_port
  cidr_ipv4         = strcontains(each.value, ":") ? null : each.value
  cidr_ipv6         = strcontains(each.value, ":") ? each.value : null
  tags              = merge(var.tags, { ManagedBy = "terraform" })
}
