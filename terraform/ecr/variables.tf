variable "region" {
  description = "AWS region of the registry; use the cluster's region so pulls stay in-region (no cross-region transfer)."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "repositories" {
  description = "Repositories to create, keyed by the image they hold (gateway, harness); values are repository names."
  type        = map(string)
  default = {
    gateway = "llm-gateway/gateway"
    harness = "llm-gateway/harness"
  }

  validation {
    condition     = length(var.repositories) > 0 && alltrue([for k in keys(var.repositories) : can(regex("^[a-z][a-z0-9-]*$", k))])
    error_message = "repositories needs at least one entry, keyed by lowercase identifiers."
  }
}

variable "untagged_expiry_days" {
  description = "Untagged images are deleted this many days after push."
  type        = number
  default     = 7

  validation {
    condition     = var.untagged_expiry_days >= 1
    error_message = "untagged_expiry_days must be at least 1."
  }
}

variable "keep_image_count" {
  description = "Images kept per repository; older ones are deleted by the lifecycle policy."
  type        = number
  default     = 50

  validation {
    condition     = var.keep_image_count >= 1
    error_message = "keep_image_count must be at least 1."
  }
}

variable "tags" {
  description = "Tags added to every resource (through the provider's default_tags)."
  type        = map(string)
  default = {
    Project   = "llm-gateway"
    ManagedBy = "terraform"
  }
}
