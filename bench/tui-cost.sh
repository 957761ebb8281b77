#!/usr/bin/env bash
# What watching costs: the default run, launch to finished, in the terminal
# UI (in a tmux pane of --size) against `lenet-tui train`, in alternating
# pairs (T U, U T, …) so drifts in the machine's load hit both sides.
#
# Both sides are timed the same way: from just before launch to the moment
# the run folder's history.jsonl was last written (its mtime, in ns), which
# is the run's end record. No screen polling is in the measured window
# beyond a look every second, which starts two processes (tail, tmux
# has-session). Since the end time is the file's mtime, how often the script
# looks changes only how soon it notices, not the time; but what a look
# costs is taken from the terminal UI's side alone: looking five times a
# second, with five processes a look, slowed that side by a few per cent on
# two cores. The end record's "seconds" (the trainer's own time, start-up
# and loading left out) is printed beside the wall time, so a difference can
# be told apart from start-up, and so is each process's CPU time (user +
# system), which the machine's load sways less than wall time.
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
[ -x /usr/bin/time ] || die "needs GNU time (apt-get install time)"

work=$(mktemp -d)
session="tui-cost-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT
if [[ -z $bin ]]; then
  cd "$(dirname "$0")/.."
  go build -o "$work/lenet-tui" . || die "go build failed"
  bin=$work/lenet-tui
fi

# ended DIR: the end time (s, ns precision) of the one run under DIR, once
# its history ends with an end record; empty while it runs. It starts one
# process (tail), where ls, head, tail and grep were four.
ended() {
  local hists=("$1"/*/history.jsonl)
  [[ -e ${hists[0]} && $(tail -c 300 "${hists[0]}") == *'"type":"'@(done|failed|stopped)'"'* ]] && stat -c %.9Y "${hists[0]}"
}

# trained DIR: the end record's "seconds", the trainer's own time.
trained() { tail -1 "$1"/*/history.jsonl | sed -n 's/.*"seconds":\([0-9.e+-]*\).*/\1/p'; }

run_train() {
  local dir=$work/train-$1 t0
  t0=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$work/cpu" "$bin" train --runs "$dir" "${args[@]}" >/dev/null
  awk -v a="$(ended "$dir")" -v b="$t0" -v s="$(trained "$dir")" -v c="$(cat "$work/cpu")" 'BEGIN {split(c, u, " "); print a - b, s, u[1] + u[2]}'
}

run_tui() {
  local dir=$work/tui-$1 t0 end=
  t0=$(date +%s.%N)
  tmux new-session -d -s "$session" -x "$w" -y "$h" "$(printf '%q ' "$bin" --runs "$dir" "${args[@]}")"
  until end=$(ended "$dir"); [[ -n $end ]]; do
    tmux has-session -t "$session" 2>/dev/null || die "the terminal UI exited before its run ended"
    sleep 1
  done
  local pid cpu
  pid=$(pgrep -n -x "$(basename "$bin")")
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$pid/stat")
  tmux kill-session -t "$session"
  awk -v a="$end" -v b="$t0" -v s="$(trained "$dir")" -v c="$cpu" 'BEGIN {print a - b, s, c}'
}

printf '%-5s %8s %8s %6s   %8s %8s %6s   %8s %8s %6s\n' pair wall wall_tui ratio trainer trainer_tui ratio cpu cpu_tui ratio
ratios=() trains=() tuis=() tratios=() cratios=()
for i in $(seq 1 "$pairs"); do
  if (( i % 2 )); then t=$(run_train "$i"); u=$(run_tui "$i"); else u=$(run_tui "$i"); t=$(run_train "$i"); fi
  read -r tw ts tc <<<"$t"
  read -r uw us uc <<<"$u"
  r=$(awk -v u="$uw" -v t="$tw" 'BEGIN {print u / t}')
  rs=$(awk -v u="$us" -v t="$ts" 'BEGIN {print u / t}')
  rc=$(awk -v u="$uc" -v t="$tc" 'BEGIN {print u / t}')
  printf '%-5s %8.2f %8.2f %6.3f   %8.2f %8.2f %6.3f   %8.2f %8.2f %6.3f\n' "$i" "$tw" "$uw" "$r" "$ts" "$us" "$rs" "$tc" "$uc" "$rc"
  ratios+=("$r") trains+=("$tw") tuis+=("$uw") tratios+=("$rs") cratios+=("$rc")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
best() { printf '%s\n' "$@" | sort -g | head -1; }
echo "size $size, $pairs pairs: wall, launch to end: median ratio $(median "${ratios[@]}"), best train $(best "${trains[@]}") s, best tui $(best "${tuis[@]}") s; the trainer's own time: median ratio $(median "${tratios[@]}"); CPU time: median ratio $(median "${cratios[@]}")"
