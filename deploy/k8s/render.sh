#!/bin/sh
# Renders a Kubernetes Indexed Job that runs N twload agents as one fleet (issue 16), to stdout.
#
# usage: render.sh --agents N --image IMAGE --target HOST:PORT --rate R --duration D --results-claim PVC
#                  [--network host|pod] [--run-id ID] [--lead SECONDS | --start-at T] [-- EXTRA RUN OPTIONS...]
#
#   --agents N            agents, one pod each (completions = parallelism = N)
#   --image IMAGE         an image built from deploy/Containerfile (ENTRYPOINT twload)
#   --target, --rate (the whole fleet's), --duration, and the extra options: as for `twload run`
#   --results-claim PVC   a ReadWriteMany PersistentVolumeClaim, mounted at /results; agents write to
#                         /results/<run-id>/
#   --network host|pod    host (default): each agent in its node's network namespace, one agent per node;
#                         pod: each agent in its own pod's namespace, with a wide ip_local_port_range
#   --run-id ID           default: the UTC time of rendering, like 20261201-225800
#   --lead SECONDS        start-at = now + SECONDS (default 120: time to schedule pods and pull the image)
#   --start-at T          an explicit start time, RFC 3339 in UTC or Unix seconds, instead of --lead
#
# Apply it with `kubectl apply -f -` soon after rendering: the start time is fixed when it is rendered.
set -eu
PROG=render.sh
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

agents='' image='' target='' rate='' duration='' claim='' network=host run_id='' lead='' start_at=''
while [ "$#" -gt 0 ]; do
    case $1 in
        --agents) need_value "$1" "$#"; agents=$2; shift 2 ;;
        --image) need_value "$1" "$#"; image=$2; shift 2 ;;
        --target) need_value "$1" "$#"; target=$2; shift 2 ;;
        --rate) need_value "$1" "$#"; rate=$2; shift 2 ;;
        --duration) need_value "$1" "$#"; duration=$2; shift 2 ;;
        --results-claim) need_value "$1" "$#"; claim=$2; shift 2 ;;
        --network) need_value "$1" "$#"; network=$2; shift 2 ;;
        --run-id) need_value "$1" "$#"; run_id=$2; shift 2 ;;
        --lead) need_value "$1" "$#"; lead=$2; shift 2 ;;
        --start-at) need_value "$1" "$#"; start_at=$2; shift 2 ;;
        -h | --help) sed -n '2,/^set /s/^# \{0,1\}//p' "$0"; exit 0 ;;
        --) shift; break ;;
        *) die "unknown option '$1'" ;;
    esac
done

[ -n "$agents" ] || die "--agents is required"
[ -n "$image" ] || die "--image is required"
matches "$image" '[^[:space:]]+' || die "--image: '$image' holds white space"
[ -n "$claim" ] || die "--results-claim is required"
matches "$claim" '[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?' \
    || die "--results-claim: '$claim' is not a Kubernetes object name (lowercase letters, digits, '-', '.')"
case $network in host | pod) ;; *) die "--network: '$network' is neither host nor pod" ;; esac
[ -z "$lead" ] || [ -z "$start_at" ] || die "--lead and --start-at: give one, not both"
[ -z "$lead" ] || whole_number --lead "$lead" 0
[ -n "$run_id" ] || run_id=$(default_run_id)
start_at=$(start_at_from "$start_at" "${lead:-120}")

args=$(TWLOAD_DEPLOY_PROG=$PROG "$here/agent-args.sh" --agents "$agents" --run-id "$run_id" \
    --start-at "$start_at" --out "/results/$run_id" --target "$target" --rate "$rate" --duration "$duration" \
    -- "$@") || exit $?

# A Job's name is a DNS label, and an Indexed Job's pod host names add "-<index>": lowercase, at most 52.
name=$(printf 'twload-%s' "$run_id" | tr 'A-Z_.' 'a-z--' | cut -c1-52 | sed 's/-*$//')
# The Job gives up (and stops its pods) this long after it is created: until start-at, the run with its
# drain, and a margin for slow image pulls and for writing the results.
now=$(date -u +%s)
wait_s=$(($(epoch_of "$start_at") - now))
[ "$wait_s" -ge 0 ] || wait_s=0
deadline=$((wait_s + $(duration_seconds "$duration") + 300))

# $1 as a YAML single-quoted scalar (no escapes; ' is written '').
yaml_quote() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"
}

cat <<YAML
# twload fleet $(yaml_quote "$run_id"): $agents agents from $start_at, rendered by deploy/k8s/render.sh.
# Each agent is one pod of this Indexed Job; its index (0 to $((agents - 1))) is JOB_COMPLETION_INDEX.
apiVersion: batch/v1
kind: Job
metadata:
  name: $name
  labels:
    app.kubernetes.io/name: twload
    app.kubernetes.io/instance: $name
  annotations:
    twload/run-id: $(yaml_quote "$run_id")
    twload/start-at: $(yaml_quote "$start_at")
spec:
  completionMode: Indexed
  completions: $agents
  parallelism: $agents
  # No retries: a retried agent would start after start-at, off the fleet's schedule. A failed index does
  # not stop the others (no maxFailedIndexes): an agent whose thresholds fail exits 1 at the end of its run,
  # when the others are still draining and writing, and \`twload merge --expect $agents\` refuses a fleet
  # short of an agent anyway. The Job is marked Failed, with status.failedIndexes, if any index failed.
  backoffLimitPerIndex: 0
  activeDeadlineSeconds: $deadline
  ttlSecondsAfterFinished: 86400
  template:
    metadata:
      labels:
        app.kubernetes.io/name: twload
        app.kubernetes.io/instance: $name
    spec:
      restartPolicy: Never
YAML
if [ "$network" = host ]; then
    cat <<YAML
      # host network: the agent uses its node's network namespace, so its source ports are the node's
      # net.ipv4.ip_local_port_range (set by the node's owner; nothing here changes a node's sysctls) and
      # its TIME_WAIT sockets sit in the node's table beside every other host-network process. Ports are
      # per network namespace, so two agents on one node would share one port range: the required
      # anti-affinity below keeps one agent per node, and N agents need N schedulable nodes. Host network
      # needs no capability (twload only connects and reads sock_diag and /proc), but the namespace's Pod
      # Security level must allow hostNetwork (privileged; baseline and restricted refuse it).
      hostNetwork: true
      dnsPolicy: ClusterFirstWithHostNet
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector:
                matchLabels:
                  app.kubernetes.io/instance: $name
              topologyKey: kubernetes.io/hostname
YAML
else
    cat <<YAML
      # pod network: each agent has its own network namespace, so its own port range and its own TIME_WAIT
      # table; several agents may share a node (they are spread when they can be). The range is widened
      # with net.ipv4.ip_local_port_range, a namespaced sysctl Kubernetes counts as safe (allowed without
      # kubelet flags). Each pod's address is its own source address only if the path to the target does
      # not masquerade pod traffic: behind SNAT every pod on a node shares the node's ports in conntrack.
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                labelSelector:
                  matchLabels:
                    app.kubernetes.io/instance: $name
                topologyKey: kubernetes.io/hostname
YAML
fi
cat <<YAML
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        # Lets the agent (uid 10001) write to the results volume on volume types that honour fsGroup.
        fsGroup: 10001
YAML
if [ "$network" = pod ]; then
    cat <<YAML
        sysctls:
          - name: net.ipv4.ip_local_port_range
            value: "1024 65535"
YAML
fi
cat <<YAML
      containers:
        - name: twload
          image: $(yaml_quote "$image")
          env:
            # Declared here so that Kubernetes expands \$(JOB_COMPLETION_INDEX) in args: it expands only
            # variables of the container's own env.
            - name: JOB_COMPLETION_INDEX
              valueFrom:
                fieldRef:
                  fieldPath: metadata.annotations['batch.kubernetes.io/job-completion-index']
          args:
YAML
printf '%s\n' "$args" | while IFS= read -r arg; do
    printf '            - %s\n' "$(yaml_quote "$arg")"
done
cat <<YAML
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
          volumeMounts:
            - name: results
              mountPath: /results
      volumes:
        - name: results
          persistentVolumeClaim:
            claimName: $claim
YAML
