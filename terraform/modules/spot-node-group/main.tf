# An EKS managed node group of SPOT instances over several instance types,
# launched from a template that requires IMDSv2 with a hop limit of 1: pods
# (one network hop away from the host) cannot reach the instance metadata
# service, so a pod whose IRSA setup fails cannot fall back to the node role.

data "aws_partition" "current" {}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  name               = "${var.name}-node"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

locals {
  policy_prefix = "arn:${data.aws_partition.current.partition}:iam::aws:policy"
  # No AmazonEKS_CNI_Policy here: the VPC CNI gets its own IRSA role.
  node_policies = merge(
    {
      worker   = "${local.policy_prefix}/AmazonEKSWorkerNodePolicy"
      ecr_pull = "${local.policy_prefix}/AmazonEC2ContainerRegistryPullOnly"
    },
    var.enable_ssm ? { ssm = "${local.policy_prefix}/AmazonSSMManagedInstanceCore" } : {},
  )
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = local.node_policies

  role       = aws_iam_role.node.name
  policy_arn = each.value
}

resource "aws_launch_template" "this" {
  name_prefix            = "${var.name}-"
  description            = "EKS node group ${var.name}: IMDSv2 only, hop limit 1, encrypted gp3 root volume"
  update_default_version = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  block_device_mappings {
    device_name = var.ami_type == "BOTTLEROCKET_x86_64" ? "/dev/xvdb" : "/dev/xvda"

    ebs {
      volume_size           = var.disk_size_gib
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  monitoring {
    enabled = false
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(var.tags, { Name = "${var.cluster_name}-${var.name}" })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(var.tags, { Name = "${var.cluster_name}-${var.name}" })
  }

  tags = var.tags
}

resource "aws_eks_node_group" "this" {
  cluster_name    = var.cluster_name
  node_group_name = var.name
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.subnet_ids

  capacity_type  = "SPOT"
  instance_types = var.instance_types
  ami_type       = var.ami_type

  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.latest_version
  }

  scaling_config {
    desired_size = var.desired_size
    min_size     = var.min_size
    max_size     = var.max_size
  }

  update_config {
    max_unavailable = 1
  }

  labels = var.labels
  tags   = var.tags

  lifecycle {
    precondition {
      condition     = var.min_size <= var.desired_size && var.desired_size <= var.max_size
      error_message = "Node group sizes must satisfy min_size <= desired_size <= max_size."
    }
  }

  # The role's policies must exist before nodes try to join, and stay until they are gone.
  depends_on = [aws_iam_role_policy_attachment.node]
}
