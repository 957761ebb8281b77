#!/usr/bin/env bash
# Compare lenet-tui training / inference throughput against the PyTorch
# reference (bench/pytorch_ref.py).
#
# Builds lenet-tui once, then runs PyTorch and lenet-tui alternately
# (P L P L ...) for --pairs pairs so slow drifts in machine load hit both
# sides equally, and prints per-pair figures, medians and median ratios.
#
# Contract with the Go side:
#   lenet-tui bench --arch A --batch N --json
# prints one JSON line containing "train_img_s" and "infer_img_s".
set -euo pipefail

usage() {
  cat <<EOF
usage: $(basename "$0") [--arch ARCH] [--batch N] [--pairs N] [--seconds S] [--bin PATH]

  --arch ARCH    lenet5-modern (default) or lenet5
  --batch N      batch size for both training and inference (default 64)
  --pairs N      number of alternating PyTorch / lenet-tui runs (default 5)
  --seconds S    pass --seconds S to pytorch_ref.py (default: its own default)
  --bin PATH     use this lenet-tui binary instead of building one
  -h, --help     this message

Environment: PYTHON (default /usr/bin/python3), OPENBLAS_NUM_THREADS (default 1).
Other variables (e.g. OMP_WAIT_POLICY) pass through to both programs.
Note: PyTorch runs 2 OpenMP threads; if another process competes for the
2 cores its spin-waiting threads can slow it down 10-20x. Run on an idle
machine; the "load" figure printed at each run helps spot contention.
EOF
}

die() { echo "compare.sh: $*" >&2; exit 1; }

arch=lenet5-modern
batch=64
pairs=5
seconds=
bin=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --arch)    [[ $# -ge 2 ]] || die "--arch needs a value";    arch=$2;    shift 2 ;;
    --batch)   [[ $# -ge 2 ]] || die "--batch needs a value";   batch=$2;   shift 2 ;;
    --pairs)   [[ $# -ge 2 ]] || die "--pairs needs a value";   pairs=$2;   shift 2 ;;
    --seconds) [[ $# -ge 2 ]] || die "--seconds needs a value"; seconds=$2; shift 2 ;;
    --bin)     [[ $# -ge 2 ]] || die "--bin needs a value";     bin=$2;     shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ $batch =~ ^[1-9][0-9]*$ ]] || die "--batch must be a positive integer"
[[ $pairs =~ ^[1-9][0-9]*$ ]] || die "--pairs must be a positive integer"

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)
py=${PYTHON:-/usr/bin/python3}
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}

# --- preflight -------------------------------------------------------------
[[ -x $py ]] || die "$py not found"
if ! "$py" -c 'import torch' 2>/dev/null; then
  die "$py cannot import torch; install with: apt-get install python3-torch libopenblas0-pthread"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [[ -z $bin ]]; then
  echo "building lenet-tui ..." >&2
  (cd "$repo_root" && go build -o "$tmp/lenet-tui" .) || die "go build failed"
  bin=$tmp/lenet-tui
fi
[[ -x $bin ]] || die "$bin is not executable"

py_args=(throughput --arch "$arch" --batch "$batch")
[[ -n $seconds ]] && py_args+=(--seconds "$seconds")

# Extract "train_img_s infer_img_s" from the last JSON line of a run's output.
extract() {
  "$py" -c '
import json, sys
lines = [l for l in sys.stdin.read().splitlines() if l.strip().startswith("{")]
if not lines:
    sys.exit("no JSON line in output")
d = json.loads(lines[-1])
print(float(d["train_img_s"]), float(d["infer_img_s"]))
'
}

# Run a command, capture its output, fail loudly with that output on error.
run_one() {
  local name=$1; shift
  local out
  if ! out=$("$@" 2>&1); then
    printf '%s\n' "$out" >&2
    die "$name run failed: $*"
  fi
  printf '%s\n' "$out" | extract || { printf '%s\n' "$out" >&2; die "$name: could not parse output"; }
}

# --- alternating runs ------------------------------------------------------
results=$tmp/results.txt   # lines: pair impl train infer
: >"$results"
echo "arch=$arch batch=$batch pairs=$pairs OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS" >&2
printf '%-5s %-10s %14s %14s\n' pair impl "train img/s" "infer img/s"
for ((i = 1; i <= pairs; i++)); do
  read -r tr inf < <(run_one pytorch "$py" "$script_dir/pytorch_ref.py" "${py_args[@]}")
  printf '%-5s %-10s %14.1f %14.1f   load %s\n' "$i" pytorch "$tr" "$inf" "$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?)"
  echo "$i pytorch $tr $inf" >>"$results"

  read -r tr inf < <(run_one lenet-tui "$bin" bench --arch "$arch" --batch "$batch" --json)
  printf '%-5s %-10s %14.1f %14.1f   load %s\n' "$i" lenet-tui "$tr" "$inf" "$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?)"
  echo "$i lenet-tui $tr $inf" >>"$results"
done

# --- summary ---------------------------------------------------------------
"$py" - "$results" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
data = {}   # impl -> pair -> (train, infer)
for pair, impl, tr, inf in rows:
    data.setdefault(impl, {})[pair] = (float(tr), float(inf))
py, go = data["pytorch"], data["lenet-tui"]
med = lambda xs: statistics.median(xs)
print()
print(f"{'median':<18} {'train img/s':>14} {'infer img/s':>14}")
for name, d in (("pytorch", py), ("lenet-tui", go)):
    print(f"{name:<18} {med([v[0] for v in d.values()]):14.1f} {med([v[1] for v in d.values()]):14.1f}")
# Median of per-pair ratios (each pair ran back to back, so this cancels
# slow load drift better than the ratio of medians).
tr_ratio = med([go[p][0] / py[p][0] for p in py])
in_ratio = med([go[p][1] / py[p][1] for p in py])
print(f"{'lenet-tui/pytorch':<18} {tr_ratio:13.2f}x {in_ratio:13.2f}x   (median of per-pair ratios)")
# Noise only ever slows a run down, so each side's best is its least
# disturbed run.
best = lambda d, k: max(v[k] for v in d.values())
print(f"{'best pytorch':<18} {best(py, 0):14.1f} {best(py, 1):14.1f}")
print(f"{'best lenet-tui':<18} {best(go, 0):14.1f} {best(go, 1):14.1f}")
print(f"{'best / best':<18} {best(go, 0) / best(py, 0):13.2f}x {best(go, 1) / best(py, 1):13.2f}x")
EOF
