# An IAM role for one Kubernetes ServiceAccount (IRSA). The trust policy pins
# both the subject (system:serviceaccount:<namespace>:<name>) and the audience
# (sts.amazonaws.com), so no other pod in the cluster can assume it.

locals {
  # "oidc.eks.<region>.amazonaws.com/id/<id>", the prefix of the token's claim keys.
  issuer  = element(split("oidc-provider/", var.oidc_provider_arn), 1)
  subject = "system:serviceaccount:${var.namespace}:${var.service_account}"
}

data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "ServiceAccountWebIdentity"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:sub"
      values   = [local.subject]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.name
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = var.max_session_duration
  tags                 = merge(var.tags, { "llm-gateway/service-account" = "${var.namespace}/${var.service_account}" })
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = var.policy_arns

  role       = aws_iam_role.this.name
  policy_arn = each.value
}

resource "aws_iam_role_policy" "this" {
  for_each = var.inline_policies

  name   = each.key
  role   = aws_iam_role.this.id
  policy = each.value
}
