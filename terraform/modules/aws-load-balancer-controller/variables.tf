variable "cluster_name" {
  description = "EKS cluster name; the controller tags what it creates with it and only touches resources so tagged."
  type        = string
}

variable "region" {
  description = "AWS region, passed to the controller explicitly because IMDS is out of pods' reach (hop limit 1)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "vpc_id" {
  description = "VPC ID, passed to the controller explicitly for the same reason as region."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123abcd."
  }
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (for the controller's IRSA role)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN."
  }
}

variable "chart_version" {
  description = "Version of the aws-load-balancer-controller chart from https://aws.github.io/eks-charts (1.14.0 ships controller v2.14.0)."
  type        = string
  default     = "1.14.0"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.chart_version))
    error_message = "chart_version must be an exact X.Y.Z version."
  }
}

variable "namespace" {
  description = "Namespace the controller runs in."
  type        = string
  default     = "kube-system"
}

variable "service_account" {
  description = "ServiceAccount name of the controller (pinned in its IRSA trust policy)."
  type        = string
  default     = "aws-load-balancer-controller"
}

variable "replica_count" {
  description = "Controller replicas (leader-elected; 2 survives one Spot reclaim)."
  type        = number
  default     = 2

  validation {
    condition     = var.replica_count >= 1 && var.replica_count <= 3
    error_message = "replica_count must be between 1 and 3."
  }
}

variable "tags" {
  description = "Tags added to the IAM role."
  type        = map(string)
  default     = {}
}
