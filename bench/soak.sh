#!/usr/bin/env bash
# Soak test of the terminal UI: runs lenet-tui's default run (MNIST) in a
# private tmux server at 120×40 for a given time while pressing a random
# mix of keys a user presses — restarts (r), activation switches (a, A),
# view changes (i inspect, k kernels, c confusion, o overview, tab
# gradients, e F6's embedding, ? help, esc back), pace changes (w, with .
# for one batch) and pause/resume (space) — and samples the process's RSS
# every 10 s into a TSV file.
#
# At each sample it checks the process is alive; if it died, it says so and
# prints the pane's last lines (the pane is kept after its program exits).
# At the end it quits with q and prints a summary: RSS at warm-up (the first
# sample after 5 minutes or 20% of the run, whichever is less), the highest
# and the final RSS after warm-up, the least-squares slope after warm-up in
# MB/hour, and the keys sent. It exits 1 if any sample after warm-up is more
# than --tolerance MB above the RSS at warm-up, 2 if the program died or did
# not quit cleanly, and 64 on a usage error.
#
# Counts are keys sent, not effects checked: a switch pressed while a run
# is starting applies to the next run, and keys a view takes for itself
# (tab while inspecting) do what that view does with them.
set -euo pipefail

usage() {
  cat <<EOF
usage: $(basename "$0") [--minutes N] [--out FILE] [--binary PATH] [--tolerance MB] [--seed N]

  --minutes N      how long to run (default 60; a fraction such as 0.5 is allowed)
  --out FILE       the TSV of samples (default ./soak-YYYYmmdd-HHMMSS.tsv)
  --binary PATH    run this lenet-tui binary instead of building one from this repository
  --tolerance MB   the growth of RSS after warm-up that fails the soak (default 40)
  --seed N         seeds the random keys (default: the process id)
  -h, --help       this message

TSV columns: elapsed_s rss_mb restarts switches view_changes pauses paces.
The run folders go to a temporary folder, removed at the end.
EOF
}

minutes=60 out="" binary="" tolerance=40 seed=$$
while (($#)); do
  case $1 in
  --minutes) minutes=${2:?--minutes needs a number}; shift 2 ;;
  --out) out=${2:?--out needs a file}; shift 2 ;;
  --binary) binary=${2:?--binary needs a path}; shift 2 ;;
  --tolerance) tolerance=${2:?--tolerance needs a number of MB}; shift 2 ;;
  --seed) seed=${2:?--seed needs a number}; shift 2 ;;
  -h | --help) usage; exit 0 ;;
  *) echo "soak: unknown argument $1" >&2; usage >&2; exit 64 ;;
  esac
done
if ! awk -v m="$minutes" 'BEGIN { exit !(m + 0 > 0) }'; then
  echo "soak: --minutes $minutes is not a positive number" >&2
  exit 64
fi
if ! [[ $tolerance =~ ^[0-9]+$ && $seed =~ ^[0-9]+$ ]]; then
  echo "soak: --tolerance and --seed take whole numbers (got $tolerance, $seed)" >&2
  exit 64
fi
command -v tmux >/dev/null || { echo "soak: tmux is not installed (apt-get install tmux)" >&2; exit 64; }
RANDOM=$seed
duration=$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 }')
warmup=$((duration / 5 < 300 ? duration / 5 : 300))
out=${out:-./soak-$(date +%Y%m%d-%H%M%S).tsv}

work=$(mktemp -d "${TMPDIR:-/tmp}/lenet-soak.XXXXXX")
sock=lenet-soak-$$
session=soak
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z $binary ]]; then
  repo=$(cd "$(dirname "$0")/.." && pwd)
  echo "soak: building lenet-tui from $repo"
  (cd "$repo" && go build -o "$work/lenet-tui" .)
  binary=$work/lenet-tui
fi
[[ -x $binary ]] || { echo "soak: $binary is not an executable file" >&2; exit 64; }
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")

t() { tmux -L "$sock" "$@"; }

# last_lines prints the pane's last 25 lines that are not blank at its end.
last_lines() {
  t capture-pane -p -t "$session" -S -60 2>/dev/null |
    awk 'NF { last = NR } { l[NR] = $0 } END { for (i = last > 25 ? last - 24 : 1; i <= last; i++) print l[i] }' || true
}

# The pane is kept after the program exits, so that a crash can be read;
# a shell runs the program and writes its exit status (tmux does not
# always know it).
t new-session -d -s "$session" -x 120 -y 40
t set-option -t "$session" remain-on-exit on
t respawn-pane -k -t "$session" "$(printf '%q --runs %q; echo $? >%q' "$binary" "$work/runs" "$work/status")"
start=$SECONDS
shell=$(t display -p -t "$session" '#{pane_pid}')
pid=
for _ in $(seq 1 50); do
  pid=$(cat "/proc/$shell/task/$shell/children" 2>/dev/null || true)
  pid=${pid%% *}
  [[ -n $pid ]] && break
  sleep 0.1
done
[[ -n $pid ]] || { echo "soak: FAIL: lenet-tui did not start in the pane" >&2; last_lines >&2; exit 2; }

elapsed() { echo $((SECONDS - start)); }

# died prints why the program is gone and the pane's last lines, and exits 2.
died() {
  echo "soak: FAIL: lenet-tui (pid $pid) is gone after $(elapsed) s: $1" >&2
  echo "soak: the pane's last lines:" >&2
  last_lines >&2
  echo "soak: samples so far in $out" >&2
  exit 2
}

alive() {
  [[ -s $work/status ]] && died "it exited with status $(<"$work/status")"
  grep -q '^VmRSS:' "/proc/$pid/status" 2>/dev/null || died "no process $pid (or a zombie)"
}

rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"; }

restarts=0 switches=0 views=0 pauses=0 paces=0
key() { t send-keys -t "$session" "$@"; }
nap() { sleep "$(awk -v a="$1" -v b="$2" -v r="$RANDOM" 'BEGIN { printf "%.1f", a + (b - a) * r / 32767 }')"; } # between $1 and $2 s

# act presses one random action's keys.
act() {
  local r=$((RANDOM % 100))
  if ((r < 15)); then
    key r; restarts=$((restarts + 1))
  elif ((r < 35)); then
    if ((RANDOM % 4)); then key a; else key A; fi
    switches=$((switches + 1))
  elif ((r < 80)); then
    local views_keys=(i k c o Tab e '?' Escape Escape)
    key "${views_keys[RANDOM % ${#views_keys[@]}]}"; views=$((views + 1))
  elif ((r < 92)); then
    key Space; nap 1 3; key Space; pauses=$((pauses + 1))
  else
    # full → slow → batch (paused; . trains one batch) → full
    key w; nap 1 2; key w; key .; key .; nap 0.5 1; key w; paces=$((paces + 1))
  fi
}

printf 'elapsed_s\trss_mb\trestarts\tswitches\tview_changes\tpauses\tpaces\n' >"$out"
sample() {
  alive
  printf '%d\t%s\t%d\t%d\t%d\t%d\t%d\n' "$(elapsed)" "$(rss_mb)" "$restarts" "$switches" "$views" "$pauses" "$paces" >>"$out"
}

echo "soak: pid $pid, $minutes min (warm-up ${warmup} s), tolerance $tolerance MB, seed $seed, samples in $out"
# Every 10 s a sample; between them an action every 2–5 s (an action's own
# pauses may delay a sample by a few seconds: the TSV has the real time).
sample
next_sample=10 next_act=5
while (($(elapsed) < duration)); do
  if (($(elapsed) >= next_sample)); then
    sample
    next_sample=$((next_sample + 10))
  elif (($(elapsed) >= next_act)); then
    act
    next_act=$(($(elapsed) + 2 + RANDOM % 4))
  else
    sleep 0.5
  fi
done
sample

# Quit as a user does; the program must leave with status 0.
key q
for _ in $(seq 1 30); do
  [[ -s $work/status ]] && break
  sleep 1
done
quit=ok
if [[ ! -s $work/status ]]; then
  quit="still running 30 s after q"
elif [[ $(<"$work/status") != 0 ]]; then
  quit="exit status $(<"$work/status") after q"
fi
if [[ $quit != ok ]]; then
  echo "soak: the pane's last lines:" >&2
  last_lines >&2
fi

awk -F'\t' -v w="$warmup" -v tol="$tolerance" -v quit="$quit" '
NR == 1 { next }
{ t[++n] = $1; m[n] = $2; last = n; for (i = 3; i <= 7; i++) c[i] = $i }
$1 >= w && !base { base = $2; bt = $1 }
$1 >= w { k++; sx += $1; sy += $2; sxx += $1 * $1; sxy += $1 * $2; if ($2 > max) { max = $2; mt = $1 } }
END {
  printf "soak: %d samples over %d s; RSS at start %.1f MB\n", n, t[last], m[1]
  if (!base) { print "soak: the run ended before warm-up: no verdict"; exit 1 }
  slope = (k > 1 && k * sxx - sx * sx > 0) ? (k * sxy - sx * sy) / (k * sxx - sx * sx) * 3600 : 0
  printf "soak: RSS at warm-up (%d s) %.1f MB, max after %.1f MB (at %d s), final %.1f MB\n", bt, base, max, mt, m[last]
  printf "soak: slope after warm-up %+.1f MB/hour (least squares over %d samples)\n", slope, k
  printf "soak: keys sent: %d restarts, %d switches, %d view changes, %d pauses, %d pace cycles\n", c[3], c[4], c[5], c[6], c[7]
  printf "soak: quit: %s\n", quit
  if (max - base > tol) { printf "soak: FAIL: RSS grew %.1f MB after warm-up, more than %d MB\n", max - base, tol; exit 1 }
  if (quit != "ok") { print "soak: FAIL: lenet-tui did not quit cleanly"; exit 2 }
  printf "soak: PASS: RSS after warm-up stayed within %d MB of %.1f MB\n", tol, base
}' "$out"
