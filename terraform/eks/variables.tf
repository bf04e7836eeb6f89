# --- Where --------------------------------------------------------------------

variable "region" {
  description = "AWS region of the cluster built by terraform/eks-cluster."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "cluster_name" {
  description = "Name of the EKS cluster built by terraform/eks-cluster (read through data sources)."
  type        = string
  default     = "llm-gateway"
}

variable "namespace" {
  description = "Namespace of the gateway; created here with the restricted Pod Security Standard enforced."
  type        = string
  default     = "llm-gateway"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.namespace)) && length(var.namespace) <= 63
    error_message = "namespace must be a DNS-1123 label."
  }
}

# --- Release ------------------------------------------------------------------

variable "release_name" {
  description = "Helm release name."
  type        = string
  default     = "llm-gateway"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.release_name)) && length(var.release_name) <= 53
    error_message = "release_name must be a DNS-1123 label of at most 53 characters."
  }
}

variable "service_account_name" {
  description = "Name of the ServiceAccount the chart creates for the gateway (passed as serviceAccount.name); the IRSA trust policy admits only this one."
  type        = string
  default     = "llm-gateway"
}

variable "gateway_repository_name" {
  description = "ECR repository of the gateway image (terraform/ecr output repository_names[\"gateway\"])."
  type        = string
  default     = "llm-gateway/gateway"
}

variable "image_tag" {
  description = "Gateway image tag to deploy. Tags are immutable in the registry, so a tag names exactly one image; \"latest\" is refused."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag must be a Docker tag (not \"latest\")."
  }
}

variable "gateway_config_path" {
  description = "Path of the gateway YAML config (LiteLLM config.yaml shape) passed to the chart as `config`. null keeps the chart's default model list."
  type        = string
  default     = null

  validation {
    condition     = var.gateway_config_path == null || can(yamldecode(file(var.gateway_config_path)))
    error_message = "gateway_config_path must name a readable YAML file."
  }
}

variable "kubernetes_secret_name" {
  description = "Kubernetes Secret (in namespace) the chart reads as secrets.existingSecret: LITELLM_MASTER_KEY and provider keys, copied from the Secrets Manager secret (terraform/README.md). null lets the chart make its own Secret."
  type        = string
  default     = null
}

variable "extra_values_yaml" {
  description = "Extra chart values (YAML), merged after the ones this module sets; for chart settings this module does not model."
  type        = string
  default     = ""

  validation {
    condition     = var.extra_values_yaml == "" || can(yamldecode(var.extra_values_yaml))
    error_message = "extra_values_yaml must be valid YAML."
  }
}

# --- Bedrock access (IRSA) ------------------------------------------------------

variable "bedrock_model_arns" {
  description = "Foundation-model ARNs the gateway may invoke, e.g. arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0. For a cross-region inference profile, list the model in every region the profile routes to."
  type        = list(string)

  validation {
    condition     = length(var.bedrock_model_arns) > 0 && alltrue([for a in var.bedrock_model_arns : can(regex("^arn:aws[a-z-]*:bedrock:[a-z0-9-]+::foundation-model/[A-Za-z0-9._:-]+$", a))])
    error_message = "bedrock_model_arns must list at least one exact foundation-model ARN (no wildcards)."
  }
}

variable "bedrock_inference_profile_arns" {
  description = "Inference-profile ARNs the gateway may invoke (system-defined like us.amazon.nova-micro-v1:0, or application profiles)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.bedrock_inference_profile_arns : can(regex("^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:[0-9]{12}:(application-)?inference-profile/[A-Za-z0-9._:-]+$", a))])
    error_message = "bedrock_inference_profile_arns must hold exact inference-profile ARNs (no wildcards)."
  }
}

# --- Secrets Manager --------------------------------------------------------------

variable "secret_name" {
  description = "Name of the Secrets Manager secret created for the gateway (its value is set out of band, never by Terraform)."
  type        = string
  default     = "llm-gateway/gateway"

  validation {
    condition     = can(regex("^[A-Za-z0-9/_+=.@-]{1,512}$", var.secret_name))
    error_message = "secret_name must be a valid Secrets Manager name."
  }
}

variable "secret_recovery_window_days" {
  description = "Days a deleted secret can still be restored (0 deletes at once, otherwise 7 to 30)."
  type        = number
  default     = 7

  validation {
    condition     = var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)
    error_message = "secret_recovery_window_days must be 0 or between 7 and 30."
  }
}

# --- Ingress ------------------------------------------------------------------------

variable "hostname" {
  description = "Public host name of the gateway (matches the ACM certificate; with Cloudflare, the proxied DNS record)."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)+[a-z]{2,}$", var.hostname))
    error_message = "hostname must be a lowercase DNS name such as llm.example.com."
  }
}

variable "acm_certificate_arn" {
  description = "ARN of an issued ACM certificate for hostname, in the cluster's region (created and validated outside this module)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$", var.acm_certificate_arn))
    error_message = "acm_certificate_arn must be an ACM certificate ARN."
  }
}

variable "alb_ingress_source" {
  description = "Who may reach the ALB: \"isp\" admits only alb_allowed_cidrs; \"cloudflare\" admits Cloudflare's published ranges (read at plan time from api.cloudflare.com) plus alb_allowed_cidrs."
  type        = string
  default     = "isp"

  validation {
    condition     = contains(["isp", "cloudflare"], var.alb_ingress_source)
    error_message = "alb_ingress_source must be isp or cloudflare."
  }
}

variable "alb_allowed_cidrs" {
  description = "CIDRs admitted straight to the ALB (offices, VPN egress). Required in isp mode; optional with cloudflare."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.alb_allowed_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0" && c != "::/0"])
    error_message = "alb_allowed_cidrs must hold CIDRs such as 203.0.113.7/32; the whole internet (0.0.0.0/0, ::/0) is refused."
  }
}

variable "alb_idle_timeout_seconds" {
  description = "ALB idle timeout. Streams send keep-alives well within it; long non-streamed completions need it above their duration."
  type        = number
  default     = 300

  validation {
    condition     = var.alb_idle_timeout_seconds >= 60 && var.alb_idle_timeout_seconds <= 4000
    error_message = "alb_idle_timeout_seconds must be between 60 and 4000."
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
