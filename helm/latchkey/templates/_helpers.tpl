{{/* Names and labels. */}}
{{- define "latchkey.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "latchkey.fullname" -}}
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

{{- define "latchkey.selectorLabels" -}}
app.kubernetes.io/name: {{ include "latchkey.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "latchkey.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "latchkey.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: latchkey
{{- end -}}

{{- define "latchkey.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "latchkey.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "latchkey.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The Secret the chart creates from values given inline (a value's existingSecret wins). */}}
{{- define "latchkey.secretName" -}}
{{- include "latchkey.fullname" . -}}
{{- end -}}

{{/*
A secret environment variable: from the value's existingSecret when set, else from the chart's
Secret when the value is given inline; nothing when neither (production mode then names it).
Arguments: name (variable), value, existingSecret, key (in the existing Secret), chartKey, context.
*/}}
{{- define "latchkey.secretEnv" -}}
{{- if .existingSecret }}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .key }}
{{- else if .value }}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "latchkey.secretName" .context }}
      key: {{ .chartKey }}
{{- end }}
{{- end -}}

{{/* Port of the Actuator endpoints: the management port when there is one. */}}
{{- define "latchkey.probePort" -}}
{{- if .Values.managementPort -}}management{{- else -}}http{{- end -}}
{{- end -}}

{{/* The pod's hardening, shared by the platform and the migration job. */}}
{{- define "latchkey.podSecurity" -}}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
automountServiceAccountToken: false
{{- end -}}

{{/* The platform's pods (not the migration job's): what the Service, PDB and policies select. */}}
{{- define "latchkey.serverSelectorLabels" -}}
{{ include "latchkey.selectorLabels" . }}
app.kubernetes.io/component: server
{{- end -}}
