{{- define "bulwark.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "bulwark.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "bulwark.labels" -}}
{{ include "bulwark.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "bulwark.secretName" -}}
{{- default (printf "%s-config" (include "bulwark.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "bulwark.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "bulwark.containerSecurityContext" -}}
runAsNonRoot: true
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The environment of every Bulwark process: secrets from the Secret, the rest from values. */}}
{{- define "bulwark.env" -}}
{{- range list "DATABASE_URL" "REDIS_URL" "ADMIN_TOKEN" "SECRETS_KEY" }}
- name: {{ . }}
  valueFrom:
    secretKeyRef:
      name: {{ include "bulwark.secretName" $ }}
      key: {{ . }}
{{- end }}
- { name: LOG_LEVEL, value: {{ .Values.config.logLevel | quote }} }
- { name: REPORT_RETENTION_DAYS, value: {{ .Values.config.reportRetentionDays | quote }} }
- { name: RATE_LIMIT_CLUSTER_PER_MIN, value: {{ .Values.config.rateLimitClusterPerMin | quote }} }
- { name: RATE_LIMIT_TENANT_PER_MIN, value: {{ .Values.config.rateLimitTenantPerMin | quote }} }
- { name: QUEUE_PREFIX, value: {{ .Values.config.queuePrefix | quote }} }
- { name: POSTURE_HISTORY_DAYS, value: {{ .Values.config.postureHistoryDays | quote }} }
- name: SMTP_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "bulwark.secretName" . }}
      key: SMTP_URL
      optional: true
{{- with .Values.config.objectStoreUrl }}
- { name: OBJECT_STORE_URL, value: {{ . | quote }} }
- { name: OBJECT_STORE_REGION, value: {{ $.Values.config.objectStoreRegion | quote }} }
{{- range list "OBJECT_STORE_ACCESS_KEY_ID" "OBJECT_STORE_SECRET_ACCESS_KEY" }}
- name: {{ . }}
  valueFrom:
    secretKeyRef:
      name: {{ include "bulwark.secretName" $ }}
      key: {{ . }}
{{- end }}
{{- end }}
{{- with .Values.config.publicUrl }}
- { name: PUBLIC_URL, value: {{ . | quote }} }
{{- end }}
{{- with .Values.config.mailFrom }}
- { name: MAIL_FROM, value: {{ . | quote }} }
{{- end }}
- { name: SESSION_IDLE_MINUTES, value: {{ .Values.config.sessionIdleMinutes | quote }} }
- { name: SESSION_MAX_HOURS, value: {{ .Values.config.sessionMaxHours | quote }} }
- { name: AUDIT_RETENTION_DAYS, value: {{ .Values.config.auditRetentionDays | quote }} }
- { name: TRUST_PROXY_HOPS, value: {{ .Values.config.trustProxyHops | quote }} }
# npm and tsx write their caches under /tmp (an emptyDir); the root filesystem is read-only
- { name: NPM_CONFIG_CACHE, value: /tmp/.npm }
- { name: NPM_CONFIG_UPDATE_NOTIFIER, value: "false" }
{{- end -}}

{{- define "bulwark.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end -}}
