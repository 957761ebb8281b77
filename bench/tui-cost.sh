#!/usr/bin/env bash
# What watching costs: the default run, launch to finished, in the terminal
# UI (in a tmux pane of --size) against `lenet-tui train`, in alternating
# pairs (T U, U T, …) so drifts in the machine's load hit both sides.
#
# Both sides are timed the same way: from just before launch to the moment
# the run folder's history.jsonl was last written (its mtime, in ns), which
# is the run's end record. No screen polling is in the measured window
# beyond a cheap look at that file every 0.2 s.
set -euo pipefail

usage() {
  cat <<USAGE
usage: $(basename "$0") [--pairs N] [--size WxH] [--bin PATH] [-- ARGS…]

  --pairs N    alternating pairs of runs (default 3)
  --size WxH   the terminal UI's pane (default 120x40)
  --bin PATH   use this lenet-tui binary instead of building one
  ARGS         settings for both sides (default: none, the default run)
USAGE
}

die() { echo "tui-cost.sh: $*" >&2; exit 1; }

pairs=3 size=120x40 bin= args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --pairs) pairs=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --) shift; args=("$@"); break ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
[[ $size =~ ^([0-9]+)x([0-9]+)$ ]] || die "--size wants WxH, like 120x40"
w=${BASH_REMATCH[1]} h=${BASH_REMATCH[2]}
command -v tmux >/dev/null || die "needs tmux (apt-get install tmux)"

work=$(mktemp -d)
session="tui-cost-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT
if [[ -z $bin ]]; then
  cd "$(dirname "$0")/.."
  go build -o "$work/lenet-tui" . || die "go build failed"
  bin=$work/lenet-tui
fi

# ended DIR: the end time (s, ns precision) of the one run under DIR, once
# its history ends with an end record; empty while it runs.
ended() {
  local hist
  hist=$(ls "$1"/*/history.jsonl 2>/dev/null | head -1) || true
  [[ -n $hist ]] && tail -c 300 "$hist" | grep -q '"type":"\(done\|failed\|stopped\)"' && stat -c %.9Y "$hist"
}

run_train() {
  local dir=$work/train-$1 t0
  t0=$(date +%s.%N)
  "$bin" train --runs "$dir" "${args[@]}" >/dev/null
  awk -v a="$(ended "$dir")" -v b="$t0" 'BEGIN {print a - b}'
}

run_tui() {
  local dir=$work/tui-$1 t0 end=
  t0=$(date +%s.%N)
  tmux new-session -d -s "$session" -x "$w" -y "$h" "$(printf '%q ' "$bin" --runs "$dir" "${args[@]}")"
  until end=$(ended "$dir"); [[ -n $end ]]; do
    tmux has-session -t "$session" 2>/dev/null || die "the terminal UI exited before its run ended"
    sleep 0.2
  done
  tmux kill-session -t "$session"
  awk -v a="$end" -v b="$t0" 'BEGIN {print a - b}'
}

printf '%-5s %10s %10s %7s\n' pair train_s tui_s ratio
ratios=() trains=() tuis=()
for i in $(seq 1 "$pairs"); do
  if (( i % 2 )); then t=$(run_train "$i"); u=$(run_tui "$i"); else u=$(run_tui "$i"); t=$(run_train "$i"); fi
  r=$(awk -v u="$u" -v t="$t" 'BEGIN {print u / t}')
  printf '%-5s %10.2f %10.2f %7.3f\n' "$i" "$t" "$u" "$r"
  ratios+=("$r") trains+=("$t") tuis+=("$u")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
best() { printf '%s\n' "$@" | sort -g | head -1; }
echo "size $size, $pairs pairs: median ratio $(median "${ratios[@]}"), best train $(best "${trains[@]}") s, best tui $(best "${tuis[@]}") s"
