{{- define "collector.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "collector.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "collector.selectorLabels" -}}
app.kubernetes.io/name: {{ include "collector.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "collector.labels" -}}
{{ include "collector.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "collector.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "collector.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* kube-bench's namespace: its own, labelled for the privileged Pod Security level (see scanners.yaml) */}}
{{- define "collector.kubeBenchNamespace" -}}
{{- default (printf "%s-node-scan" .Release.Namespace) .Values.scanners.kubeBench.namespace | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "collector.secretName" -}}
{{- default (printf "%s-key" (include "collector.fullname" .)) .Values.bulwark.existingSecret -}}
{{- end -}}

{{- define "collector.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* A minute in 0..59 from a checksum of the seed: the same on every upgrade, different per cluster. */}}
{{- define "collector.minute" -}}
{{- $seed := default (printf "%s/%s/%s" .Values.bulwark.keyId .Release.Namespace .Release.Name) .Values.scheduleSeed -}}
{{- mod (atoi (adler32sum $seed)) 60 -}}
{{- end -}}

{{- define "collector.schedule" -}}
{{- default (printf "%s %s * * *" (include "collector.minute" .) .Values.scheduleHours) .Values.schedule -}}
{{- end -}}

{{/* restricted pod security: every pod of this chart but kube-bench's (see scanners.yaml) */}}
{{- define "collector.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "collector.containerSecurityContext" -}}
runAsNonRoot: true
# set here as well as on the pod: kube-bench's pod runs as root, its uploader must not
runAsUser: 1000
runAsGroup: 1000
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* the annotations every pod of this chart carries: an Envoy sidecar would keep a Job's pod running forever */}}
{{- define "collector.podAnnotations" -}}
sidecar.istio.io/inject: "false"
{{- with .Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
The collector container. Arguments: a dict with "root" (the chart context) and "args" (its command-line flags).
The signing secret is a file from the Secret, never an environment variable or a flag.
*/}}
{{- define "collector.container" -}}
{{- $root := .root -}}
name: collector
image: {{ include "collector.image" $root }}
imagePullPolicy: {{ $root.Values.image.pullPolicy }}
args:
{{- toYaml .args | nindent 2 }}
env:
  - name: BULWARK_URL
    value: {{ required "bulwark.url is required" $root.Values.bulwark.url | quote }}
  - name: BULWARK_KEY_ID
    valueFrom:
      secretKeyRef:
        name: {{ include "collector.secretName" $root }}
        key: {{ $root.Values.bulwark.existingSecretKeys.keyId }}
  - name: BULWARK_KEY_SECRET_FILE
    value: /var/run/secrets/bulwark/key-secret
  - name: NODE_OPTIONS
    value: {{ printf "--max-old-space-size=%d" (int $root.Values.collector.heapLimitMiB) | quote }}
securityContext:
  {{- include "collector.containerSecurityContext" $root | nindent 2 }}
resources:
  {{- toYaml $root.Values.collector.resources | nindent 2 }}
volumeMounts:
  - name: key
    mountPath: /var/run/secrets/bulwark
    readOnly: true
  # the only writable place (the root filesystem is read-only): Node's and the client's temporary files
  - name: tmp
    mountPath: /tmp
{{- end -}}

{{- define "collector.volumes" -}}
- name: key
  secret:
    secretName: {{ include "collector.secretName" . }}
    defaultMode: 0440
    items:
      - key: {{ .Values.bulwark.existingSecretKeys.keySecret }}
        path: key-secret
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end -}}
