terraform {
  required_version = ">= 1.8.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "= 6.59.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "= 3.2.0"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "= 3.3.0"
    }
    http = {
      source  = "hashicorp/http"
      version = "= 3.5.0"
    }
  }

  # Configure a remote backend before the first apply (see terraform/README.md).
}
