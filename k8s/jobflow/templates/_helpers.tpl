{{/* Names and labels. */}}
{{- define "jobflow.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "jobflow.fullname" -}}
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

{{- define "jobflow.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "jobflow.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: jobflow
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "job-api") */}}
{{- define "jobflow.selectorLabels" -}}
app.kubernetes.io/name: {{ include "jobflow.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "jobflow.componentLabels" -}}
{{ include "jobflow.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "jobflow.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "jobflow.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "jobflow.image" -}}
{{- $img := .root.Values.image -}}
{{- printf "%s/%s/%s:%s" $img.registry $img.repository .component (default .root.Chart.AppVersion $img.tag) -}}
{{- end -}}

{{- define "jobflow.dbSecretName" -}}
{{- default (printf "%s-db" (include "jobflow.fullname" .)) .Values.database.existingSecret -}}
{{- end -}}

{{- define "jobflow.hubSecretName" -}}
{{- default (printf "%s-hub" (include "jobflow.fullname" .)) .Values.progressHub.auth.existingSecret -}}
{{- end -}}

{{/* The token secret env entry for job-api and progress-hub (same Secret, key token-secret), or
nothing when neither tokenSecret nor existingSecret is set: the services then share a random
secret kept in the database. Nothing either with signingKeySecret (a key pair, no secret). */}}
{{- define "jobflow.tokenSecretEnv" -}}
{{- $a := .Values.progressHub.auth -}}
{{- if and $a.signingKeySecret (or $a.existingSecret $a.tokenSecret) -}}
{{- fail "progressHub.auth: set signingKeySecret (a key pair) or tokenSecret / existingSecret (a shared secret), not both" -}}
{{- end -}}
{{- if and (not $a.signingKeySecret) (or $a.existingSecret $a.tokenSecret) -}}
- name: {{ .Values.envNames.tokenSecret }}
  valueFrom:
    secretKeyRef: {name: {{ include "jobflow.hubSecretName" . }}, key: token-secret}
{{- end -}}
{{- end -}}

{{/* The progress-hub URL the job-monitor page's browser uses: jobApi.hubUrl, else the Ingress host,
else the first Gateway API hostname; empty when none is known. */}}
{{- define "jobflow.hubUrl" -}}
{{- if .Values.jobApi.hubUrl -}}
{{- .Values.jobApi.hubUrl -}}
{{- else if .Values.ingress.enabled -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host -}}
{{- else if and .Values.gatewayApi.enabled .Values.gatewayApi.hostnames -}}
{{- printf "https://%s" (first .Values.gatewayApi.hostnames) -}}
{{- end -}}
{{- end -}}

{{/* Dispatcher replica bound from the global cap: ceil(N / slots). */}}
{{- define "jobflow.dispatcherMaxReplicas" -}}
{{- $n := int .Values.dispatcher.globalCap -}}
{{- $slots := int .Values.dispatcher.slots -}}
{{- div (add $n (sub $slots 1)) $slots -}}
{{- end -}}

{{- define "jobflow.queueUrl" -}}
{{- default (printf "http://%s-job-api.%s.svc:%d/api/v1/queue" (include "jobflow.fullname" .) .Release.Namespace (int .Values.jobApi.port)) .Values.autoscaling.keda.queueUrl -}}
{{- end -}}

{{/* Environment every service shares: database wiring, backend, no migration at start. */}}
{{- define "jobflow.commonEnv" -}}
{{- $n := .Values.envNames -}}
- name: {{ $n.dbUrl }}
  valueFrom:
    configMapKeyRef:
      name: {{ include "jobflow.fullname" . }}-config
      key: database-url
- name: {{ $n.storeBackend }}
  valueFrom:
    configMapKeyRef:
      name: {{ include "jobflow.fullname" . }}-config
      key: store-backend
- name: {{ $n.dbUser }}
  valueFrom:
    secretKeyRef:
      name: {{ include "jobflow.dbSecretName" . }}
      key: username
- name: {{ $n.dbPassword }}
  valueFrom:
    secretKeyRef:
      name: {{ include "jobflow.dbSecretName" . }}
      key: password
- name: JAVA_TOOL_OPTIONS
  value: {{ .Values.javaToolOptions | quote }}
{{- end -}}

{{/* Probes on the Quarkus health endpoints: (dict "root" $ "port" 8080) */}}
{{- define "jobflow.probes" -}}
{{- $p := .root.Values.probes -}}
startupProbe:
  httpGet: {path: /q/health/started, port: http}
  periodSeconds: {{ $p.startup.periodSeconds }}
  failureThreshold: {{ $p.startup.failureThreshold }}
  timeoutSeconds: {{ $p.startup.timeoutSeconds }}
readinessProbe:
  httpGet: {path: /q/health/ready, port: http}
  periodSeconds: {{ $p.readiness.periodSeconds }}
  failureThreshold: {{ $p.readiness.failureThreshold }}
  timeoutSeconds: {{ $p.readiness.timeoutSeconds }}
livenessProbe:
  httpGet: {path: /q/health/live, port: http}
  periodSeconds: {{ $p.liveness.periodSeconds }}
  failureThreshold: {{ $p.liveness.failureThreshold }}
  timeoutSeconds: {{ $p.liveness.timeoutSeconds }}
{{- end -}}

{{/* Pod-level pieces every workload shares: (dict "root" $ "serviceAccount" name) */}}
{{- define "jobflow.podCommon" -}}
{{- $root := .root -}}
serviceAccountName: {{ .serviceAccount }}
automountServiceAccountToken: false
{{- /* No FOO_SERVICE_HOST/_PORT variables for every Service of the namespace: nothing reads them (the services
are reached by DNS name), and each start matches every variable against the services' settings (420 of them,
60 Services' worth, cost a dispatcher ~0.05-0.1 s of its start; docs/benchmarks.md 2n). */}}
enableServiceLinks: false
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml $root.Values.podSecurityContext | nindent 2 }}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: {{ $root.Values.tmpSizeLimit }}
{{- end -}}

{{/* The URL of one queue's figures for KEDA: (dict "root" $ "queue" name). The in-cluster job-api
Service, or autoscaling.keda.queueUrl with its /api/v1/queue replaced by /api/v1/queues/<queue>. */}}
{{- define "jobflow.queueUrlOf" -}}
{{- printf "%s/api/v1/queues/%s" (include "jobflow.queueUrl" .root | trimSuffix "/api/v1/queue") .queue -}}
{{- end -}}

{{/* A KEDA trigger name for one queue's field, usable in a scaling modifier formula (an identifier):
(dict "field" "ready" "queue" "reports.eu-1") -> ready_reports_eu_1 */}}
{{- define "jobflow.queueTriggerName" -}}
{{- printf "%s_%s" .field (regexReplaceAll "[^a-z0-9_]" .queue "_") -}}
{{- end -}}

{{/* Checks dispatcher.groups beyond what the schema can say (unique names, bounds, name lengths); fails
the render with a message naming the group. Renders nothing. */}}
{{- define "jobflow.checkDispatcherGroups" -}}
{{- $fullname := include "jobflow.fullname" . -}}
{{- $seen := dict -}}
{{- range $g := .Values.dispatcher.groups -}}
{{- if hasKey $seen $g.name -}}
{{- fail (printf "dispatcher.groups: the group name %q is used twice (each group is one Deployment %s-dispatcher-<name>)" $g.name $fullname) -}}
{{- end -}}
{{- $_ := set $seen $g.name true -}}
{{- if not $g.queues -}}
{{- fail (printf "dispatcher.groups[%s]: queues must name at least one queue" $g.name) -}}
{{- end -}}
{{- $min := include "jobflow.groupMinReplicas" $g | int -}}
{{- if lt (int $g.maxReplicas) $min -}}
{{- fail (printf "dispatcher.groups[%s]: maxReplicas (%d) must be at least minReplicas (%d)" $g.name (int $g.maxReplicas) $min) -}}
{{- end -}}
{{- $name := printf "%s-dispatcher-%s" $fullname $g.name -}}
{{- if gt (len $name) 63 -}}
{{- fail (printf "dispatcher.groups[%s]: the Deployment/Service name %q is longer than 63 characters; shorten the group name (or fullnameOverride)" $g.name $name) -}}
{{- end -}}
{{- $triggers := dict -}}
{{- range $q := $g.queues -}}
{{- $t := include "jobflow.queueTriggerName" (dict "field" "ready" "queue" $q) -}}
{{- if hasKey $triggers $t -}}
{{- fail (printf "dispatcher.groups[%s]: queues %q and %q differ only in '-' / '.' vs '_'; put them in different groups" $g.name (get $triggers $t) $q) -}}
{{- end -}}
{{- $_ := set $triggers $t $q -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* A group's minReplicas (default 1; 0 allowed). */}}
{{- define "jobflow.groupMinReplicas" -}}
{{- if hasKey . "minReplicas" }}{{ int .minReplicas }}{{ else }}1{{ end -}}
{{- end -}}

{{/* A group's slots per replica (default dispatcher.slots): (dict "root" $ "group" $g) */}}
{{- define "jobflow.groupSlots" -}}
{{- if hasKey .group "slots" }}{{ int .group.slots }}{{ else }}{{ int .root.Values.dispatcher.slots }}{{ end -}}
{{- end -}}

{{/* The dispatcher's env (slots, global cap, drain grace, and the queues when there are some):
(dict "root" $ "slots" n "queues" list) */}}
{{- define "jobflow.dispatcherEnv" -}}
{{- $v := .root.Values.dispatcher -}}
{{- $n := .root.Values.envNames -}}
- name: {{ $n.dispatcherSlots }}
  value: {{ toString .slots | quote }}
- name: {{ $n.dispatcherGlobalCap }}
  value: {{ toString $v.globalCap | quote }}
- name: {{ $n.dispatcherDrainGrace }}
  value: "{{ int $v.drainGraceSeconds }}s"
{{- with .queues }}
- name: {{ $n.dispatcherQueues }}
  value: {{ join "," . | quote }}
{{- end }}
{{- end -}}
