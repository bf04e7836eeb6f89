# Root module 3 of 3 (apply after terraform/eks-cluster): the gateway itself.
# Reads the cluster and the registry through data sources (no remote-state
# coupling), then creates the namespace, the gateway's IRSA role and secret,
# the ALB security groups, and the Helm release of helm/llm-gateway.

provider "aws" {
  region = var.region

  default_tags {
    tags = var.tags
  }
}

provider "kubernetes" {
  host                   = data.aws_eks_cluster.this.endpoint
  cluster_ca_certificate = base64decode(data.aws_eks_cluster.this.certificate_authority[0].data)
  token                  = data.aws_eks_cluster_auth.this.token
}

provider "helm" {
  kubernetes = {
    host                   = data.aws_eks_cluster.this.endpoint
    cluster_ca_certificate = base64decode(data.aws_eks_cluster.this.certificate_authority[0].data)
    token                  = data.aws_eks_cluster_auth.this.token
  }
}

data "aws_eks_cluster" "this" {
  name = var.cluster_name
}

data "aws_eks_cluster_auth" "this" {
  name = var.cluster_name
}

data "aws_iam_openid_connect_provider" "this" {
  url = data.aws_eks_cluster.this.identity[0].oidc[0].issuer
}

data "aws_vpc" "this" {
  id = data.aws_eks_cluster.this.vpc_config[0].vpc_id
}

data "aws_ecr_repository" "gateway" {
  name = var.gateway_repository_name
}

# --- Namespace ----------------------------------------------------------------

resource "kubernetes_namespace_v1" "this" {
  metadata {
    name = var.namespace

    labels = {
      "pod-security.kubernetes.io/enforce" = "restricted"
      "pod-security.kubernetes.io/audit"   = "restricted"
      "pod-security.kubernetes.io/warn"    = "restricted"
    }
  }
}

# --- Secret (value set out of band) -----------------------------------------------

resource "aws_secretsmanager_secret" "gateway" {
  name                    = var.secret_name
  description             = "llm-gateway environment (master key, provider keys). Value set out of band; see terraform/README.md."
  recovery_window_in_days = var.secret_recovery_window_days
}

# --- IRSA: exactly what the gateway calls -------------------------------------------

data "aws_iam_policy_document" "gateway" {
  statement {
    sid       = "InvokeConfiguredModels"
    effect    = "Allow"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = concat(var.bedrock_model_arns, var.bedrock_inference_profile_arns)
  }

  statement {
    sid       = "ReadOwnSecret"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.gateway.arn]
  }
}

module "gateway_irsa" {
  source = "../modules/irsa-role"

  name              = "${var.cluster_name}-gateway"
  oidc_provider_arn = data.aws_iam_openid_connect_provider.this.arn
  namespace         = var.namespace
  service_account   = var.service_account_name
  inline_policies   = { gateway = data.aws_iam_policy_document.gateway.json }
}

# --- ALB security groups ------------------------------------------------------------

data "http" "cloudflare_ips" {
  count = var.alb_ingress_source == "cloudflare" ? 1 : 0

  url             = "https://api.cloudflare.com/client/v4/ips"
  request_headers = { Accept = "application/json" }

  lifecycle {
    postcondition {
      condition     = self.status_code == 200 && try(jsondecode(self.response_body).success, false)
      error_message = "Could not read Cloudflare's IP ranges from https://api.cloudflare.com/client/v4/ips."
    }
  }
}

locals {
  # IPv4 only: the ALB is IPv4 (ipv4 address type), so Cloudflare reaches it over IPv4.
  cloudflare_cidrs = var.alb_ingress_source == "cloudflare" ? jsondecode(data.http.cloudflare_ips[0].response_body).result.ipv4_cidrs : []
}

module "alb_security_groups" {
  source = "../modules/alb-ingress-security-groups"

  name              = var.cluster_name
  cluster_name      = var.cluster_name
  vpc_id            = data.aws_vpc.this.id
  vpc_cidr          = data.aws_vpc.this.cidr_block
  isp_cidrs         = var.alb_allowed_cidrs
  enable_cloudflare = var.alb_ingress_source == "cloudflare"
  cloudflare_cidrs  = local.cloudflare_cidrs
}

# --- The gateway ------------------------------------------------------------------------

locals {
  # Sources the ALB admits, for the chart's ingress.alb.inboundCidrs (which it
  # requires for an internet-facing ALB). The controller ignores inbound-cidrs
  # when security groups are given: the groups above are what filters.
  alb_source_cidrs = distinct(concat(var.alb_allowed_cidrs, local.cloudflare_cidrs))

  # Annotations added to the chart's ALB ones (the chart lets these win).
  ingress_annotations = {
    "alb.ingress.kubernetes.io/security-groups"                     = join(",", module.alb_security_groups.security_group_ids)
    "alb.ingress.kubernetes.io/manage-backend-security-group-rules" = "true"
    "alb.ingress.kubernetes.io/load-balancer-attributes"            = "idle_timeout.timeout_seconds=${var.alb_idle_timeout_seconds},routing.http.drop_invalid_header_fields.enabled=true"
  }

  # The only values this module sets (helm/llm-gateway/values.yaml documents
  # them); everything else is the chart's default or comes from extra_values_yaml.
  chart_values = merge(
    {
      image = {
        repository = data.aws_ecr_repository.gateway.repository_url
        tag        = var.image_tag
      }
      serviceAccount = {
        name    = var.service_account_name
        roleArn = module.gateway_irsa.arn
      }
      ingress = {
        enabled     = true
        className   = "alb"
        host        = var.hostname
        annotations = local.ingress_annotations
        alb = {
          enabled            = true
          scheme             = "internet-facing"
          certificateArn     = var.acm_certificate_arn
          inboundCidrs       = local.alb_source_cidrs
          idleTimeoutSeconds = var.alb_idle_timeout_seconds
        }
      }
      # With target-type ip the ALB connects to pods from its subnets, inside the VPC.
      networkPolicy = {
        ingressController = { cidrs = [data.aws_vpc.this.cidr_block] }
      }
    },
    var.gateway_config_path == null ? {} : { config = yamldecode(file(var.gateway_config_path)) },
    var.kubernetes_secret_name == null ? {} : { secrets = { existingSecret = var.kubernetes_secret_name } },
  )
}

resource "helm_release" "gateway" {
  name      = var.release_name
  namespace = kubernetes_namespace_v1.this.metadata[0].name
  chart     = "${path.module}/../../helm/llm-gateway"

  values = compact([yamlencode(local.chart_values), var.extra_values_yaml])

  atomic          = true
  cleanup_on_fail = true
  wait            = true
  timeout         = 600
  max_history     = 10
}
