{{/*
The alert rules (a Prometheus rules file's "groups"). Series are selected by the labels the chart's
ServiceMonitor gives them: job = the peers Service's name, namespace = the release's. Thresholds come
from metrics.prometheusRule; the root-rotation ones from the trust settings. Prometheus' own template
braces are escaped so Helm leaves them alone.
*/}}
{{- define "ratchet.alertRules" -}}
{{- $r := .Values.metrics.prometheusRule -}}
{{- $sel := printf "job=\"%s\", namespace=\"%s\"" (include "ratchet.peersService" .) .Release.Namespace -}}
{{- $pvc := printf "persistentvolumeclaim=~\"(data|artifacts)-%s-[0-9]+\", namespace=\"%s\"" (include "ratchet.fullname" .) .Release.Namespace -}}
{{- $quorum := add (div (int .Values.replicaCount) 2) 1 -}}
{{- $expire := divf (include "ratchet.millis" .Values.trust.rootCertExpire) 1000 -}}
{{- $grace := divf (include "ratchet.millis" .Values.trust.certGrace) 1000 -}}
{{- $interval := divf $expire (int .Values.trust.maxTrustRoots) -}}
{{- /* The newest root lives rootCertExpire + certGrace from its rotation; at 2 rotation intervals of age it is stuck. */ -}}
{{- $stuckLeft := subf (addf $expire $grace) (mulf 2 $interval) | int64 -}}
{{- $criticalLeft := divf (include "ratchet.millis" $r.rootExpiryCritical) 1000 | int64 -}}
{{- $runbook := $r.runbookBaseUrl -}}
groups:
  - name: ratchet
    rules:
      - alert: RatchetNoMemberUp
        expr: sum by (job, namespace) (up{ {{- $sel -}} }) == 0 or absent(up{ {{- $sel -}} })
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: "No Ratchet member of {{`{{ $labels.namespace }}`}}/{{`{{ $labels.job }}`}} answers scrapes"
          description: "Every pod is down, crash-looping or missing, or Prometheus finds no target at all."
          runbook_url: "{{ $runbook }}#ratchetnomemberup"
      - alert: RatchetMemberDown
        expr: up{ {{- $sel -}} } == 0
        for: {{ $r.memberDownFor }}
        labels:
          severity: warning
        annotations:
          summary: "Ratchet member {{`{{ $labels.pod }}`}} does not answer scrapes"
          description: "The pod is down, crash-looping or unreachable; the cluster tolerates a minority of down voters."
          runbook_url: "{{ $runbook }}#ratchetmemberdown"
      - alert: RatchetInsufficientMembers
        expr: sum by (job, namespace) (up{ {{- $sel -}} }) < {{ $quorum }}
        for: 1m
        labels:
          severity: critical
        annotations:
          summary: "Only {{`{{ $value }}`}} of {{ .Values.replicaCount }} Ratchet members are up; a quorum needs {{ $quorum }}"
          description: "The cluster cannot commit writes until a majority of voters is back."
          runbook_url: "{{ $runbook }}#ratchetinsufficientmembers"
      - alert: RatchetQuorumAtRisk
        expr: sum by (job, namespace) (up{ {{- $sel -}} }) == {{ $quorum }}{{ if eq (int .Values.replicaCount) $quorum }} unless on () vector(1){{ end }}
        for: {{ $r.memberDownFor }}
        labels:
          severity: warning
        annotations:
          summary: "Exactly a quorum ({{ $quorum }}) of Ratchet members is up: one more failure stops writes"
          description: "Bring the down members back before another one fails."
          runbook_url: "{{ $runbook }}#ratchetquorumatrisk"
      - alert: RatchetNoLeader
        expr: ratchet_raft_has_leader{ {{- $sel -}} } == 0
        for: 1m
        labels:
          severity: critical
        annotations:
          summary: "Ratchet member {{`{{ $labels.pod }}`}} knows no leader"
          description: "Writes through this member fail. If every member fires, the cluster lost quorum."
          runbook_url: "{{ $runbook }}#ratchetnoleader"
      - alert: RatchetFrequentLeaderChanges
        expr: increase(ratchet_raft_leader_changes_total{ {{- $sel -}} }[15m]) > {{ $r.leaderChanges15m }}
        for: 5m
        labels:
          severity: warning
        annotations:
          summary: "Ratchet member {{`{{ $labels.pod }}`}} saw {{`{{ $value | humanize }}`}} leader changes in 15 minutes"
          description: "Elections keep happening: slow disks, an overloaded node, or a network that drops heartbeats."
          runbook_url: "{{ $runbook }}#ratchetfrequentleaderchanges"
      - alert: RatchetHighFsyncDuration
        expr: histogram_quantile(0.99, sum by (le, job, namespace, pod) (rate(ratchet_raft_append_sync_seconds_bucket{ {{- $sel -}} }[5m]))) > {{ $r.fsyncP99Seconds }}
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: "Ratchet member {{`{{ $labels.pod }}`}}: fsync p99 is {{`{{ $value | humanizeDuration }}`}}"
          description: "The log's disk is slow; commits and heartbeats wait for it."
          runbook_url: "{{ $runbook }}#ratchethighfsyncduration"
      - alert: RatchetHighPeerRoundTrip
        expr: histogram_quantile(0.99, sum by (le, job, namespace, pod, peer) (rate(ratchet_transport_peer_round_trip_seconds_bucket{ {{- $sel -}} }[5m]))) > {{ $r.peerRoundTripP99Seconds }}
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: "Ratchet member {{`{{ $labels.pod }}`}}: round trip to peer {{`{{ $labels.peer }}`}} p99 is {{`{{ $value | humanizeDuration }}`}}"
          description: "The network between two members is slow or the peer is overloaded; heartbeats and replication wait for it."
          runbook_url: "{{ $runbook }}#ratchethighpeerroundtrip"
      - alert: RatchetFailedProposals
        expr: increase(ratchet_raft_proposals_total{ {{- $sel -}}, outcome="failed"}[15m]) > {{ $r.failedProposals15m }}
        for: 5m
        labels:
          severity: warning
        annotations:
          summary: "Ratchet member {{`{{ $labels.pod }}`}} lost {{`{{ $value | humanize }}`}} proposals in 15 minutes"
          description: "Proposals are being overwritten by new leaders: leadership is unstable."
          runbook_url: "{{ $runbook }}#ratchetfailedproposals"
      - alert: RatchetVolumeFillingUp
        expr: kubelet_volume_stats_available_bytes{ {{- $pvc -}} } / kubelet_volume_stats_capacity_bytes{ {{- $pvc -}} } < {{ $r.volumeFreeWarning }}
        for: 5m
        labels:
          severity: warning
        annotations:
          summary: "Volume {{`{{ $labels.persistentvolumeclaim }}`}} has {{`{{ $value | humanizePercentage }}`}} free"
          description: "The Raft log or the artifact store will run out of space."
          runbook_url: "{{ $runbook }}#ratchetvolumefillingup"
      - alert: RatchetVolumeFull
        expr: kubelet_volume_stats_available_bytes{ {{- $pvc -}} } / kubelet_volume_stats_capacity_bytes{ {{- $pvc -}} } < {{ $r.volumeFreeCritical }}
        for: 1m
        labels:
          severity: critical
        annotations:
          summary: "Volume {{`{{ $labels.persistentvolumeclaim }}`}} has only {{`{{ $value | humanizePercentage }}`}} free"
          description: "Writes to the log fail when the volume is full; the member stops."
          runbook_url: "{{ $runbook }}#ratchetvolumefull"
      - alert: RatchetHttpErrors
        expr: sum by (job, namespace, pod) (rate(http_server_requests_seconds_count{ {{- $sel -}}, status=~"5.."}[5m])) / sum by (job, namespace, pod) (rate(http_server_requests_seconds_count{ {{- $sel -}} }[5m])) > {{ $r.http5xxRatio }}
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: "{{`{{ $value | humanizePercentage }}`}} of HTTP requests to {{`{{ $labels.pod }}`}} fail with 5xx"
          description: "The API answers with server errors (no leader, full disk, timeouts)."
          runbook_url: "{{ $runbook }}#ratchethttperrors"
      - alert: RatchetRootRotationStuck
        expr: ratchet_trust_newest_root_expiry_seconds{ {{- $sel -}} } < {{ $stuckLeft }}
        for: 1h
        labels:
          severity: warning
        annotations:
          summary: "Newest trust root on {{`{{ $labels.pod }}`}} is older than two rotation intervals (expires in {{`{{ $value | humanizeDuration }}`}})"
          description: "Roots rotate every rootCertExpire/maxTrustRoots; the leader has not rotated for two intervals."
          runbook_url: "{{ $runbook }}#ratchetrootrotationstuck"
      - alert: RatchetRootsLeavingNoOverlap
        expr: ratchet_trust_newest_root_expiry_seconds{ {{- $sel -}} } < {{ $criticalLeft }}
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: "Newest trust root on {{`{{ $labels.pod }}`}} expires in {{`{{ $value | humanizeDuration }}`}}"
          description: "When it expires no root is left to overlap with: peers can no longer connect. Rotate now."
          runbook_url: "{{ $runbook }}#ratchetrootsleavingnooverlap"
      - alert: RatchetHandshakeFailures
        expr: sum by (job, namespace, pod, result) (rate(ratchet_tls_handshakes_total{ {{- $sel -}}, result!="ok"}[5m])) > {{ $r.handshakeFailuresPerSecond }}
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: "Peer TLS handshakes on {{`{{ $labels.pod }}`}} fail with {{`{{ $labels.result }}`}} ({{`{{ $value | humanize }}`}} per second)"
          description: "A peer shares no trust root with this member, its clock is off, or the network breaks connections."
          runbook_url: "{{ $runbook }}#ratchethandshakefailures"
      - alert: RatchetFollowerLagging
        expr: ratchet_raft_follower_lag_entries{ {{- $sel -}} } > {{ $r.lagEntries }}
        for: 5m
        labels:
          severity: warning
        annotations:
          summary: "A follower of leader {{`{{ $labels.pod }}`}} is {{`{{ $value }}`}} entries behind"
          description: "A follower is not keeping up (slow disk, network, or catching up from a snapshot)."
          runbook_url: "{{ $runbook }}#ratchetfollowerlagging"
      - alert: RatchetApplyLagging
        expr: ratchet_raft_apply_lag_entries{ {{- $sel -}} } > {{ $r.lagEntries }}
        for: 5m
        labels:
          severity: warning
        annotations:
          summary: "Ratchet member {{`{{ $labels.pod }}`}} has {{`{{ $value }}`}} committed entries not applied"
          description: "The member's state machine falls behind its log; reads through it wait."
          runbook_url: "{{ $runbook }}#ratchetapplylagging"
{{- end -}}
