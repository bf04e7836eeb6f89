# --- Where --------------------------------------------------------------------

variable "region" {
  description = "AWS region of the cluster (Bedrock must offer the configured models there or through inference profiles)."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "cluster_name" {
  description = "EKS cluster name; also the name prefix of the VPC, IAM roles and node group."
  type        = string
  default     = "llm-gateway"

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{0,31}$", var.cluster_name))
    error_message = "cluster_name must start with a letter and hold at most 32 letters, digits or '-' (IAM role names derive from it)."
  }
}

variable "kubernetes_version" {
  description = "EKS Kubernetes minor version. Keep it in standard support: extended support costs six times the control-plane rate."
  type        = string
  default     = "1.35"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must be a minor version such as 1.35."
  }
}

variable "support_type" {
  description = "EKS upgrade policy: STANDARD auto-upgrades the control plane when standard support ends (no extended-support charge); EXTENDED keeps the version at $0.60/hour."
  type        = string
  default     = "STANDARD"

  validation {
    condition     = contains(["STANDARD", "EXTENDED"], var.support_type)
    error_message = "support_type must be STANDARD or EXTENDED."
  }
}

# --- Network ------------------------------------------------------------------

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC (/16 or larger)."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) <= 16
    error_message = "vpc_cidr must be an IPv4 CIDR of size /16 or larger."
  }
}

variable "az_count" {
  description = "Availability zones to span (public + private subnet in each). The cost estimate assumes 2."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 4
    error_message = "az_count must be between 2 and 4."
  }
}

# --- Control plane access -------------------------------------------------------

variable "endpoint_public_access" {
  description = "Expose the Kubernetes API endpoint publicly (restricted to endpoint_public_access_cidrs). False means kubectl only from inside the VPC."
  type        = bool
  default     = true
}

variable "endpoint_public_access_cidrs" {
  description = "CIDRs allowed to reach the public API endpoint, e.g. your office or VPN egress (x.x.x.x/32)."
  type        = list(string)

  validation {
    condition     = length(var.endpoint_public_access_cidrs) > 0 && alltrue([for c in var.endpoint_public_access_cidrs : can(cidrhost(c, 0)) && !strcontains(c, ":")])
    error_message = "endpoint_public_access_cidrs must list at least one IPv4 CIDR such as 203.0.113.7/32."
  }
}

variable "cluster_admin_principal_arns" {
  description = "IAM users or roles given cluster-admin through EKS access entries (the identity that applies this module gets it too)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.cluster_admin_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/.+$", a))])
    error_message = "cluster_admin_principal_arns must hold IAM role or user ARNs."
  }
}

variable "cluster_log_types" {
  description = "Control-plane logs sent to CloudWatch (billed per GB ingested). audit records every API call."
  type        = list(string)
  default     = ["audit"]

  validation {
    condition     = alltrue([for t in var.cluster_log_types : contains(["api", "audit", "authenticator", "controllerManager", "scheduler"], t)])
    error_message = "cluster_log_types may hold api, audit, authenticator, controllerManager and scheduler."
  }
}

variable "log_retention_days" {
  description = "Retention of the control-plane log group, in days."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "enable_secrets_encryption" {
  description = "Envelope-encrypt Kubernetes Secrets with a customer-managed KMS key ($1/month)."
  type        = bool
  default     = true
}

# --- Nodes --------------------------------------------------------------------

variable "node_instance_types" {
  description = "Spot instance types of the node group (same size, several families: deeper Spot pools, fewer interruptions)."
  type        = list(string)
  default     = ["t3.medium", "t3a.medium", "t2.medium"]

  validation {
    condition     = length(var.node_instance_types) >= 2
    error_message = "node_instance_types needs at least two types for Spot diversification."
  }
}

variable "node_desired_size" {
  description = "Nodes to run."
  type        = number
  default     = 2

  validation {
    condition     = var.node_desired_size >= 1
    error_message = "node_desired_size must be at least 1."
  }
}

variable "node_min_size" {
  description = "Minimum node count."
  type        = number
  default     = 2

  validation {
    condition     = var.node_min_size >= 0
    error_message = "node_min_size must be at least 0."
  }
}

variable "node_max_size" {
  description = "Maximum node count."
  type        = number
  default     = 4

  validation {
    condition     = var.node_max_size >= 1
    error_message = "node_max_size must be at least 1."
  }
}

variable "node_disk_size_gib" {
  description = "Root volume of each node, GiB of encrypted gp3."
  type        = number
  default     = 20

  validation {
    condition     = var.node_disk_size_gib >= 20
    error_message = "node_disk_size_gib must be at least 20."
  }
}

# --- Add-ons --------------------------------------------------------------------

variable "addon_versions" {
  description = "Pinned EKS add-on versions by add-on name (vpc-cni, kube-proxy, coredns, aws-ebs-csi-driver); an absent name gets EKS's default for kubernetes_version at creation."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.addon_versions) : contains(["vpc-cni", "kube-proxy", "coredns", "aws-ebs-csi-driver"], k)])
    error_message = "addon_versions keys must be vpc-cni, kube-proxy, coredns or aws-ebs-csi-driver."
  }
}

variable "lb_controller_chart_version" {
  description = "aws-load-balancer-controller chart version (https://aws.github.io/eks-charts)."
  type        = string
  default     = "1.14.0"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.lb_controller_chart_version))
    error_message = "lb_controller_chart_version must be an exact X.Y.Z version."
  }
}

variable "tags" {
  description = "Tags added to every AWS resource (through the provider's default_tags)."
  type        = map(string)
  default = {
    Project   = "llm-gateway"
    ManagedBy = "terraform"
  }
}
