variable "name" {
  description = "Name prefix for the VPC and everything in it (usually the cluster name)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{0,38}$", var.name))
    error_message = "name must start with a letter and hold at most 39 letters, digits or '-'."
  }
}

variable "cidr" {
  description = "IPv4 CIDR of the VPC. Private subnets take the first /20s (pod IPs come from them with the VPC CNI), public subnets /24s from the upper half."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.cidr, 0)) && tonumber(split("/", var.cidr)[1]) <= 16
    error_message = "cidr must be an IPv4 CIDR of size /16 or larger."
  }
}

variable "azs" {
  description = "Availability zones, one public and one private subnet in each. Two is the EKS minimum and what the cost estimate assumes."
  type        = list(string)

  validation {
    condition     = length(var.azs) >= 2 && length(var.azs) <= 4 && length(distinct(var.azs)) == length(var.azs)
    error_message = "azs must list 2 to 4 distinct availability zones."
  }
}

variable "enable_nat_gateway" {
  description = "Create the single NAT gateway that gives private subnets egress (Bedrock, STS, ECR). One NAT for all AZs is the cost trade-off: an AZ outage also cuts egress from the other AZ."
  type        = bool
  default     = true
}

variable "enable_s3_gateway_endpoint" {
  description = "Add the free S3 gateway endpoint so ECR image layers (served from S3) bypass the NAT's per-GB charge."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
