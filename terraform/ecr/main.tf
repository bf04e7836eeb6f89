# Root module 1 of 3 (apply first): the container registry for the gateway and
# harness images. terraform/eks reads the gateway repository by name.

provider "aws" {
  region = var.region

  default_tags {
    tags = var.tags
  }
}

module "repository" {
  source   = "../modules/ecr-repository"
  for_each = var.repositories

  name                 = each.value
  untagged_expiry_days = var.untagged_expiry_days
  keep_image_count     = var.keep_image_count
}
