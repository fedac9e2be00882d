{{/* The chart's name, at most 63 characters (a DNS label). */}}
{{- define "tickvault.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's prefix of every object's name: the release name, with the chart's name unless it already holds it. */}}
{{- define "tickvault.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The recommended labels (app.kubernetes.io/*) of every object; component is added where there is one. */}}
{{- define "tickvault.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "tickvault.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tickvault
{{- end -}}

{{/* The labels a selector matches: stable across upgrades (no version in them). */}}
{{- define "tickvault.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tickvault.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "tickvault.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "tickvault.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "tickvault.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "tickvault.sparkImage" -}}
{{- printf "%s:%s" .Values.spark.image.repository (default .Chart.AppVersion .Values.spark.image.tag) -}}
{{- end -}}

{{/* Secrets: the chart's own, or the operator's existing one. */}}
{{- define "tickvault.adminKeySecret" -}}
{{- default (printf "%s-admin-key" (include "tickvault.fullname" .)) .Values.adminKey.existingSecret -}}
{{- end -}}
{{- define "tickvault.ledgerKeySecret" -}}
{{- default (printf "%s-ledger-key" (include "tickvault.fullname" .)) .Values.ledgerSigningKey.existingSecret -}}
{{- end -}}
{{- define "tickvault.servicesSecret" -}}
{{- printf "%s-services" (include "tickvault.fullname" .) -}}
{{- end -}}

{{/* Kafka's bootstrap servers: given, or a Strimzi cluster's bootstrap Service. */}}
{{- define "tickvault.kafkaBootstrap" -}}
{{- $k := .Values.external.kafka -}}
{{- if $k.strimzi.enabled -}}
{{- printf "%s-kafka-bootstrap.%s.svc:%d" $k.strimzi.clusterName (default .Release.Namespace $k.strimzi.namespace) (int $k.strimzi.port) -}}
{{- else -}}
{{- $k.bootstrapServers -}}
{{- end -}}
{{- end -}}

{{/* What every Spark pod shares: its account, pull secrets and (the Spark image's user, 185) security context. */}}
{{- define "tickvault.sparkPod" -}}
serviceAccountName: {{ include "tickvault.serviceAccountName" . }}
automountServiceAccountToken: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  runAsNonRoot: true
  runAsUser: 185
  runAsGroup: 185
{{- end -}}

{{- define "tickvault.sparkContainerSecurity" -}}
allowPrivilegeEscalation: false
capabilities:
  drop: [ALL]
{{- end -}}
