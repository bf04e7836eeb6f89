terraform {
  required_version = ">= 1.8.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "= 6.59.0"
    }
  }

  # Configure a remote backend before the first apply, e.g. with
  # `tofu init -backend-config=...` and a partial `backend "s3" {}` block here.
}
