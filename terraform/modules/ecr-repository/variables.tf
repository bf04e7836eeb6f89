variable "name" {
  description = "Repository name, e.g. \"llm-gateway/gateway\". Lowercase, may contain '/' namespaces."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", var.name)) && length(var.name) <= 256
    error_message = "name must be a valid ECR repository name (lowercase letters, digits, '.', '_', '-', '/' separators, at most 256 characters)."
  }
}

variable "encryption_type" {
  description = "Encryption at rest: AES256 (free, AWS-owned key) or KMS (customer-managed key in kms_key_arn, $1/month per key)."
  type        = string
  default     = "AES256"

  validation {
    condition     = contains(["AES256", "KMS"], var.encryption_type)
    error_message = "encryption_type must be AES256 or KMS."
  }
}

variable "kms_key_arn" {
  description = "KMS key ARN used when encryption_type is KMS; null uses the AWS-managed ECR key."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "untagged_expiry_days" {
  description = "Untagged images (superseded pushes, failed builds) are deleted this many days after push."
  type        = number
  default     = 7

  validation {
    condition     = var.untagged_expiry_days >= 1 && floor(var.untagged_expiry_days) == var.untagged_expiry_days
    error_message = "untagged_expiry_days must be a whole number of days, at least 1."
  }
}

variable "keep_image_count" {
  description = "At most this many images are kept; the oldest beyond it are deleted (tags are immutable, so this bounds storage cost)."
  type        = number
  default     = 50

  validation {
    condition     = var.keep_image_count >= 1 && floor(var.keep_image_count) == var.keep_image_count
    error_message = "keep_image_count must be a whole number, at least 1."
  }
}

variable "force_delete" {
  description = "Allow `destroy` to delete the repository while it still holds images. Keep false in production."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to the repository."
  type        = map(string)
  default     = {}
}
