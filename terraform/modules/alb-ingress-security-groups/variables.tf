variable "name" {
  description = "Name prefix of the security groups."
  type        = string
}

variable "cluster_name" {
  description = "Cluster the ALB belongs to; tagged on the groups so the ops tools (make eks-list-ips) can find them."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the ALB."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123abcd."
  }
}

variable "vpc_cidr" {
  description = "VPC CIDR: the ALB may open connections to targets (pod IPs) inside it and nowhere else."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0))
    error_message = "vpc_cidr must be a CIDR."
  }
}

variable "listener_port" {
  description = "Port the ALB listens on (HTTPS)."
  type        = number
  default     = 443

  validation {
    condition     = var.listener_port >= 1 && var.listener_port <= 65535
    error_message = "listener_port must be a TCP port."
  }
}

variable "isp_cidrs" {
  description = "CIDRs allowed straight to the ALB (offices, VPN egress). May be empty when Cloudflare fronts the ALB."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.isp_cidrs : can(cidrhost(c, 0))])
    error_message = "isp_cidrs must hold CIDRs such as 203.0.113.7/32."
  }
}

variable "enable_cloudflare" {
  description = "Create the cloudflare group, allowing only cloudflare_cidrs (Cloudflare's published proxy ranges)."
  type        = bool
  default     = false
}

variable "cloudflare_cidrs" {
  description = "Cloudflare's published ranges (IPv4 and IPv6), used when enable_cloudflare is true."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.cloudflare_cidrs : can(cidrhost(c, 0))])
    error_message = "cloudflare_cidrs must hold CIDRs."
  }
}

variable "tags" {
  description = "Tags added to the groups and their rules."
  type        = map(string)
  default     = {}
}
