variable "cluster_name" {
  description = "Name of the EKS cluster the node group joins."
  type        = string
}

variable "name" {
  description = "Node group name (also the prefix of its IAM role and launch template)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9_-]{0,37}$", var.name))
    error_message = "name must be 1 to 38 letters, digits, '-' or '_' (it prefixes the IAM role name)."
  }
}

variable "subnet_ids" {
  description = "Private subnets the nodes are launched in (one per AZ)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids needs at least two subnets (two AZs) so a Spot reclaim in one AZ can be replaced in the other."
  }
}

variable "instance_types" {
  description = "Spot instance types, in order of preference. Several similar sizes deepen the Spot pools and cut interruptions; all must have the same vCPU/memory for even scheduling."
  type        = list(string)
  default     = ["t3.medium", "t3a.medium", "t2.medium"]

  validation {
    condition     = length(var.instance_types) >= 2 && length(var.instance_types) <= 20 && alltrue([for t in var.instance_types : can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", t))])
    error_message = "instance_types needs 2 to 20 instance type names such as t3.medium (one type is a single Spot pool)."
  }
}

variable "ami_type" {
  description = "EKS-optimised AMI family. AL2023 (cgroup v2, IMDSv2 aware) is the default; Bottlerocket is the alternative."
  type        = string
  default     = "AL2023_x86_64_STANDARD"

  validation {
    condition     = contains(["AL2023_x86_64_STANDARD", "BOTTLEROCKET_x86_64"], var.ami_type)
    error_message = "ami_type must be AL2023_x86_64_STANDARD or BOTTLEROCKET_x86_64 (the default instance types are x86_64)."
  }
}

variable "desired_size" {
  description = "Nodes to run. Two t3.medium-class nodes fit three gateway replicas plus the system add-ons."
  type        = number
  default     = 2

  validation {
    condition     = var.desired_size >= 1 && floor(var.desired_size) == var.desired_size
    error_message = "desired_size must be a whole number, at least 1."
  }
}

variable "min_size" {
  description = "Lower bound of the node count."
  type        = number
  default     = 2

  validation {
    condition     = var.min_size >= 0 && floor(var.min_size) == var.min_size
    error_message = "min_size must be a whole number, at least 0."
  }
}

variable "max_size" {
  description = "Upper bound of the node count."
  type        = number
  default     = 4

  validation {
    condition     = var.max_size >= 1 && var.max_size <= 100 && floor(var.max_size) == var.max_size
    error_message = "max_size must be a whole number between 1 and 100."
  }
}

variable "disk_size_gib" {
  description = "Root volume size in GiB (gp3, encrypted)."
  type        = number
  default     = 20

  validation {
    condition     = var.disk_size_gib >= 20 && var.disk_size_gib <= 1000
    error_message = "disk_size_gib must be between 20 and 1000."
  }
}

variable "enable_ssm" {
  description = "Attach AmazonSSMManagedInstanceCore so nodes can be reached with Session Manager instead of SSH."
  type        = bool
  default     = false
}

variable "labels" {
  description = "Kubernetes labels put on every node."
  type        = map(string)
  default     = {}
}

variable "tags" {
  description = "Tags added to the node group, its role, launch template, instances and volumes."
  type        = map(string)
  default     = {}
}
