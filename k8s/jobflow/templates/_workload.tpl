{{/*
One service's Deployment and Service. Parameters (dict):
  root       the chart context ($)
  component  job-api | dispatcher | progress-hub | dispatcher-<group> (names, labels, selectors)
  image      the service (image and container name); default: component
  v          the service's values section (port, resources, preStopSeconds, extraEnv, ...); a
             positive preStopSeconds adds a preStop sleep so endpoints/ingress stop routing first
  portEnv    name of the env variable carrying the HTTP port
  env        extra env entries (YAML list text), may be empty
  replicas   replica count, or "" when an autoscaler owns it
  grace      terminationGracePeriodSeconds
*/}}
{{- define "jobflow.workload" -}}
{{- $root := .root -}}
{{- $c := .component -}}
{{- $v := .v -}}
{{- $image := default $c .image -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "jobflow.fullname" $root }}-{{ $c }}
  labels:
    {{- include "jobflow.componentLabels" (dict "root" $root "component" $c) | nindent 4 }}
spec:
  {{- if ne (toString .replicas) "" }}
  replicas: {{ .replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
  selector:
    matchLabels:
      {{- include "jobflow.selectorLabels" (dict "root" $root "component" $c) | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "jobflow.selectorLabels" (dict "root" $root "component" $c) | nindent 8 }}
      annotations:
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
        checksum/secret: {{ include (print $root.Template.BasePath "/secret.yaml") $root | sha256sum }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      {{- include "jobflow.podCommon" (dict "root" $root "serviceAccount" (include "jobflow.serviceAccountName" $root)) | nindent 6 }}
      terminationGracePeriodSeconds: {{ .grace }}
      containers:
        - name: {{ $image }}
          image: {{ include "jobflow.image" (dict "root" $root "component" $image) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - {name: http, containerPort: {{ $v.port }}, protocol: TCP}
          env:
            {{- include "jobflow.commonEnv" $root | nindent 12 }}
            - name: {{ .portEnv }}
              value: {{ $v.port | quote }}
            - name: {{ $root.Values.envNames.migrateAtStart }}
              value: "false"
            {{- with .env }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- with $v.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- include "jobflow.probes" (dict "root" $root) | nindent 10 }}
          {{- if gt (int $v.preStopSeconds) 0 }}
          lifecycle:
            preStop:
              exec:
                command: ["sleep", "{{ int $v.preStopSeconds }}"]
          {{- end }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          volumeMounts:
            - {name: tmp, mountPath: /tmp}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "jobflow.fullname" $root }}-{{ $c }}
  labels:
    {{- include "jobflow.componentLabels" (dict "root" $root "component" $c) | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "jobflow.selectorLabels" (dict "root" $root "component" $c) | nindent 4 }}
  ports:
    - {name: http, port: {{ $v.port }}, targetPort: http, protocol: TCP}
{{- if $root.Values.podDisruptionBudget.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "jobflow.fullname" $root }}-{{ $c }}
  labels:
    {{- include "jobflow.componentLabels" (dict "root" $root "component" $c) | nindent 4 }}
spec:
  maxUnavailable: {{ $root.Values.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "jobflow.selectorLabels" (dict "root" $root "component" $c) | nindent 6 }}
{{- end }}
{{- end -}}
