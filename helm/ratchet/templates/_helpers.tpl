{{/* Chart name, at most 40 characters so pod names (name-N) and peer DNS labels stay short. */}}
{{- define "ratchet.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "ratchet.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else if contains (include "ratchet.name" .) .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "ratchet.name" .) | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The headless Service that gives each pod its stable peer DNS name. */}}
{{- define "ratchet.peersService" -}}
{{- printf "%s-peers" (include "ratchet.fullname" .) -}}
{{- end -}}

{{- define "ratchet.authSecret" -}}
{{- default (printf "%s-auth" (include "ratchet.fullname" .)) .Values.auth.existingSecret -}}
{{- end -}}

{{- define "ratchet.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ratchet.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ratchet.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "ratchet.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Stable DNS name of pod $ordinal: <fullname>-<n>.<peers>.<namespace>.svc.<domain>. */}}
{{- define "ratchet.podHost" -}}
{{- $ := index . 0 -}}
{{- printf "%s-%d.%s.%s.svc.%s" (include "ratchet.fullname" $) (index . 1) (include "ratchet.peersService" $) $.Release.Namespace $.Values.clusterDomain -}}
{{- end -}}

{{/* Pods a new pod may join through: the first three, so scaling past three changes no pod template. */}}
{{- define "ratchet.seedOrdinals" -}}
{{- until (min 3 (int .Values.replicaCount) | int) | toJson -}}
{{- end -}}

{{- define "ratchet.joinAddresses" -}}
{{- $ := . -}}
{{- $urls := list -}}
{{- range (include "ratchet.seedOrdinals" $ | fromJsonArray) -}}
{{- $urls = append $urls (printf "%s://%s:%d" (include "ratchet.apiScheme" $) (include "ratchet.podHost" (list $ (int .))) (int $.Values.ports.http)) -}}
{{- end -}}
{{- join "," $urls -}}
{{- end -}}

{{- define "ratchet.initialPeers" -}}
{{- $ := . -}}
{{- $peers := list -}}
{{- range (include "ratchet.seedOrdinals" $ | fromJsonArray) -}}
{{- $peers = append $peers (printf "%s-%d@%s:%d" (include "ratchet.fullname" $) (int .) (include "ratchet.podHost" (list $ (int .))) (int $.Values.ports.peer)) -}}
{{- end -}}
{{- join "," $peers -}}
{{- end -}}

{{/* A Spring Boot duration (schema-checked: digits and one unit) in milliseconds, for cross-checks. */}}
{{- define "ratchet.millis" -}}
{{- $n := regexFind "^[0-9]+" . | atoi -}}
{{- $unit := regexFind "[a-z]+$" . -}}
{{- $factor := dict "ns" 0.000001 "us" 0.001 "ms" 1 "s" 1000 "m" 60000 "h" 3600000 "d" 86400000 -}}
{{- mulf $n (get $factor $unit) -}}
{{- end -}}

{{/* Rules a JSON schema cannot express: relations between values. Mirrors the node's own checks. */}}
{{- define "ratchet.validate" -}}
{{- $heartbeat := include "ratchet.millis" .Values.raft.heartbeatInterval | float64 -}}
{{- $election := include "ratchet.millis" .Values.raft.electionTimeout | float64 -}}
{{- if or (lt $heartbeat 5.0) (gt $heartbeat 10000.0) -}}
{{- fail (printf "raft.heartbeatInterval must be between 5ms and 10s, got %s" .Values.raft.heartbeatInterval) -}}
{{- end -}}
{{- if or (lt $election (mulf $heartbeat 3)) (gt $election 60000.0) -}}
{{- fail (printf "raft.electionTimeout (%s) must be at least 3x raft.heartbeatInterval (%s) and at most 1m" .Values.raft.electionTimeout .Values.raft.heartbeatInterval) -}}
{{- end -}}
{{- $expire := include "ratchet.millis" .Values.trust.rootCertExpire | float64 -}}
{{- $grace := include "ratchet.millis" .Values.trust.certGrace | float64 -}}
{{- if gt $grace $expire -}}
{{- fail (printf "trust.certGrace (%s) must not exceed trust.rootCertExpire (%s)" .Values.trust.certGrace .Values.trust.rootCertExpire) -}}
{{- end -}}
{{- end -}}

{{/* http, or https when the API serves TLS from tls.existingSecret. */}}
{{- define "ratchet.apiScheme" -}}
{{- if .Values.tls.existingSecret -}}https{{- else -}}http{{- end -}}
{{- end -}}

{{/* Where the API's TLS Secret is mounted, and the truststore built from its CA at pod start. */}}
{{- define "ratchet.tlsDir" -}}/etc/ratchet/tls{{- end -}}
{{- define "ratchet.truststore" -}}/tmp/tls/api-truststore.p12{{- end -}}

{{/* The pods' ServiceAccount: the chart's own, a named one, or the namespace's default. */}}
{{- define "ratchet.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "ratchet.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The chart's own API clients (helm test, backup): not matched by the StatefulSet's selector (so no
  Service routes to them), but admitted to the HTTP port by the NetworkPolicy. */}}
{{- define "ratchet.clientSelectorLabels" -}}
app.kubernetes.io/part-of: {{ include "ratchet.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ratchet.clientLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "ratchet.clientSelectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
