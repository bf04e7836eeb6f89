{{/*
Names. Kubernetes names are DNS labels: every helper cuts to 63 characters and
trims a trailing "-" left by the cut.
*/}}

{{/* The chart name, or nameOverride. */}}
{{- define "llm-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* <release>-<chart>, or the release name alone when it already contains the chart name. */}}
{{- define "llm-gateway.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* <fullname>-<suffix>, the full name cut so that the suffix always fits. Call with (dict "ctx" $ "suffix" "redis"). */}}
{{- define "llm-gateway.suffixedName" -}}
{{- $base := include "llm-gateway.fullname" .ctx | trunc (int (sub 62 (len .suffix))) | trimSuffix "-" }}
{{- printf "%s-%s" $base .suffix }}
{{- end }}

{{- define "llm-gateway.openWebui.fullname" -}}
{{- include "llm-gateway.suffixedName" (dict "ctx" . "suffix" "open-webui") }}
{{- end }}

{{- define "llm-gateway.redis.fullname" -}}
{{- include "llm-gateway.suffixedName" (dict "ctx" . "suffix" "redis") }}
{{- end }}

{{- define "llm-gateway.test.fullname" -}}
{{- include "llm-gateway.suffixedName" (dict "ctx" . "suffix" "test") }}
{{- end }}

{{/* chart-version, as the helm.sh/chart label wants it. */}}
{{- define "llm-gateway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels. Call with (dict "ctx" $ "component" "gateway").
*/}}
{{- define "llm-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "llm-gateway.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "llm-gateway.labels" -}}
helm.sh/chart: {{ include "llm-gateway.chart" .ctx }}
{{ include "llm-gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: llm-gateway
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
{{- with .ctx.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selects every pod of the release, whatever its component (default-deny). */}}
{{- define "llm-gateway.releaseSelector" -}}
app.kubernetes.io/name: {{ include "llm-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Images: repository:tag, or repository@digest when a digest is set.
Call with (dict "image" .Values.image "tag" "<default tag>").
*/}}
{{- define "llm-gateway.imageRef" -}}
{{- if .image.digest }}
{{- printf "%s@%s" .image.repository .image.digest }}
{{- else }}
{{- printf "%s:%s" .image.repository (default .tag .image.tag) }}
{{- end }}
{{- end }}

{{- define "llm-gateway.image" -}}
{{- include "llm-gateway.imageRef" (dict "image" .Values.image "tag" .Chart.AppVersion) }}
{{- end }}

{{/*
The harness image: tests.image, else the `harness` repository beside the
gateway's (…/llm-gateway/gateway -> …/llm-gateway/harness) at the gateway's tag.
*/}}
{{- define "llm-gateway.testImage" -}}
{{- $gateway := .Values.image.repository }}
{{- $sibling := ternary (printf "%s/harness" (dir $gateway)) "harness" (contains "/" $gateway) }}
{{- $image := dict "repository" (default $sibling .Values.tests.image.repository) "tag" .Values.tests.image.tag "digest" .Values.tests.image.digest }}
{{- include "llm-gateway.imageRef" (dict "image" $image "tag" (default .Chart.AppVersion .Values.image.tag)) }}
{{- end }}

{{- define "llm-gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "llm-gateway.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret with the master key and provider keys: existingSecret or the chart's own. */}}
{{- define "llm-gateway.secretName" -}}
{{- default (include "llm-gateway.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{- define "llm-gateway.openWebui.secretName" -}}
{{- default (include "llm-gateway.openWebui.fullname" .) .Values.openWebui.secretKey.existingSecret }}
{{- end }}

{{/* In-cluster URL of the gateway's Service. */}}
{{- define "llm-gateway.url" -}}
{{- printf "http://%s.%s.svc:%d" (include "llm-gateway.fullname" .) .Release.Namespace (int .Values.service.port) }}
{{- end }}

{{/*
A random secret that survives upgrades: the value already stored in the
cluster when there is one (`lookup` sees nothing under `helm template`).
Call with (dict "ctx" $ "secret" "<Secret name>" "key" "<key>" "prefix" "sk-" "length" 48).
*/}}
{{- define "llm-gateway.persistentRandom" -}}
{{- $existing := lookup "v1" "Secret" .ctx.Release.Namespace .secret }}
{{- if and $existing (index ($existing.data | default dict) .key) }}
{{- index $existing.data .key | b64dec }}
{{- else }}
{{- printf "%s%s" .prefix (randAlphaNum (int .length)) }}
{{- end }}
{{- end }}

{{/* terminationGracePeriodSeconds: preStop sleep + the gateway's shutdown delay and grace + 5 s to flush and exit. */}}
{{- define "llm-gateway.terminationGracePeriodSeconds" -}}
{{- add .Values.drain.preStopSleepSeconds .Values.drain.shutdownDelaySeconds .Values.drain.shutdownGraceSeconds 5 }}
{{- end }}

{{/* The gateway's config.yaml: `config` with the shutdown timings from `drain`. */}}
{{- define "llm-gateway.configYaml" -}}
{{- $config := deepCopy .Values.config }}
{{- $general := $config.general_settings }}
{{- $_ := set $general "shutdown_delay_seconds" .Values.drain.shutdownDelaySeconds }}
{{- $_ = set $general "shutdown_grace_seconds" .Values.drain.shutdownGraceSeconds }}
{{- toYaml $config }}
{{- end }}

{{/*
AWS Load Balancer Controller annotations shared by the gateway and Open WebUI
Ingresses. Call with (dict "ctx" $ "healthPath" "/health/readiness").
*/}}
{{- define "llm-gateway.albAnnotations" -}}
{{- $alb := .ctx.Values.ingress.alb }}
alb.ingress.kubernetes.io/scheme: {{ $alb.scheme }}
alb.ingress.kubernetes.io/target-type: ip
alb.ingress.kubernetes.io/listen-ports: '[{"HTTPS":443}]'
alb.ingress.kubernetes.io/ssl-policy: {{ $alb.sslPolicy }}
alb.ingress.kubernetes.io/certificate-arn: {{ $alb.certificateArn }}
alb.ingress.kubernetes.io/backend-protocol: HTTP
alb.ingress.kubernetes.io/healthcheck-path: {{ .healthPath }}
alb.ingress.kubernetes.io/load-balancer-attributes: idle_timeout.timeout_seconds={{ $alb.idleTimeoutSeconds }}
{{- with $alb.inboundCidrs }}
alb.ingress.kubernetes.io/inbound-cidrs: {{ join "," . }}
{{- end }}
{{- with $alb.groupName }}
alb.ingress.kubernetes.io/group.name: {{ . }}
{{- end }}
{{- end }}

{{/* Fails the render with one message per inconsistent combination of values. */}}
{{- define "llm-gateway.validate" -}}
{{- $problems := list }}
{{- if and .Values.ingress.alb.enabled (or .Values.ingress.enabled .Values.openWebui.ingress.enabled) (not .Values.ingress.alb.certificateArn) }}
{{- $problems = append $problems "ingress.alb.certificateArn is required with the ALB Ingress (its only listener is HTTPS)" }}
{{- end }}
{{- if and .Values.ingress.alb.enabled (eq .Values.ingress.alb.scheme "internet-facing") (not .Values.ingress.alb.inboundCidrs) }}
{{- $problems = append $problems "ingress.alb.inboundCidrs is required with an internet-facing ALB (write [0.0.0.0/0] to allow everyone on purpose)" }}
{{- end }}
{{- $ic := .Values.networkPolicy.ingressController }}
{{- if and .Values.networkPolicy.enabled (or .Values.ingress.enabled .Values.openWebui.ingress.enabled) (not (or $ic.cidrs $ic.namespaceSelector $ic.podSelector)) }}
{{- $problems = append $problems "networkPolicy.ingressController needs cidrs (the ALB subnets or the VPC CIDR) or a selector, else the NetworkPolicies block the Ingress" }}
{{- end }}
{{- if and .Values.redis.enabled .Values.redis.external.existingSecret }}
{{- $problems = append $problems "redis.enabled and redis.external.existingSecret are exclusive: run Redis in the release or point at an external one" }}
{{- end }}
{{- if and .Values.secrets.existingSecret (or .Values.secrets.masterKey .Values.secrets.providerKeys) }}
{{- $problems = append $problems "secrets.masterKey and secrets.providerKeys are ignored with secrets.existingSecret: put the keys in that Secret instead" }}
{{- end }}
{{- if gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas) }}
{{- $problems = append $problems "autoscaling.minReplicas is greater than autoscaling.maxReplicas" }}
{{- end }}
{{- range list "shutdown_delay_seconds" "shutdown_grace_seconds" }}
{{- if hasKey ($.Values.config.general_settings | default dict) . }}
{{- $problems = append $problems (printf "config.general_settings.%s: set drain.%s instead (the pod's grace period is derived from it)" . (ternary "shutdownDelaySeconds" "shutdownGraceSeconds" (eq . "shutdown_delay_seconds"))) }}
{{- end }}
{{- end }}
{{- if $problems }}
{{- fail (printf "\n  - %s" (join "\n  - " $problems)) }}
{{- end }}
{{- end }}

{{/* NetworkPolicy peers of the ingress path (ALB subnets or an in-cluster controller), as a YAML list; empty when none is configured. */}}
{{- define "llm-gateway.ingressControllerPeers" -}}
{{- $ic := .Values.networkPolicy.ingressController }}
{{- $peers := list }}
{{- range $ic.cidrs }}
{{- $peers = append $peers (dict "ipBlock" (dict "cidr" .)) }}
{{- end }}
{{- $selector := include "llm-gateway.selectorPeer" $ic | fromYaml }}
{{- if $selector }}
{{- $peers = append $peers $selector }}
{{- end }}
{{- if $peers }}
{{- toYaml $peers }}
{{- end }}
{{- end }}

{{/* A peer from a namespaceSelector and/or podSelector (either may be empty). */}}
{{- define "llm-gateway.selectorPeer" -}}
{{- $peer := dict }}
{{- with .namespaceSelector }}
{{- $_ := set $peer "namespaceSelector" . }}
{{- end }}
{{- with .podSelector }}
{{- $_ := set $peer "podSelector" . }}
{{- end }}
{{- if $peer }}
{{- toYaml $peer }}
{{- end }}
{{- end }}

{{/* Egress to the cluster DNS, on 53/UDP and 53/TCP. */}}
{{- define "llm-gateway.dnsEgress" -}}
- to:
    - namespaceSelector:
        {{- toYaml .Values.networkPolicy.dns.namespaceSelector | nindent 8 }}
      podSelector:
        {{- toYaml .Values.networkPolicy.dns.podSelector | nindent 8 }}
  ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- end }}

{{/* Egress to HTTPS anywhere but the instance metadata address (and networkPolicy.egressExcept). */}}
{{- define "llm-gateway.httpsEgress" -}}
- to:
    - ipBlock:
        cidr: 0.0.0.0/0
        except:
          # Instance metadata: a pod must never reach the node's credentials.
          - 169.254.169.254/32
          {{- range .Values.networkPolicy.egressExcept }}
          - {{ . }}
          {{- end }}
  ports:
    - port: 443
      protocol: TCP
{{- end }}
