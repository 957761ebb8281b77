#!/usr/bin/env bash
# docs/speed.sh [--quick] — the timings docs/speed.md quotes, measured again
# on this machine by the commands the page shows, and written into its
# marked blocks (<!-- speed:NAME --> … <!-- /speed -->):
#   fast     lenet-tui train --config configs/fast.yaml --seed 1…4
#            (test accuracy, and wall time from launch to exit)
#   best     the same for configs/best.yaml, seeds 1…3 (a few minutes)
#   passes   lenet-tui bench --passes --arch lenet5-modern --batch 64 and 256
#   pytorch  bench/compare.sh --pairs 5 for lenet5-modern and lenet5 at
#            batch 64 and 256 (needs python3-torch)
#   tui      bench/tui-cost.sh --pairs 8 at 120x40 and 200x60 (needs tmux):
#            single runs of the screen vary more than the trainer alone
#   purego   lenet-tui bench --json --arch lenet5 --batch 64, built as is
#            and with -tags noasm, alternately, 3 times each
#   flow     go test -run '^$' -bench TrainStepFlow ./engine, 5 rounds: a
#            lenet5 step with the gradient-flow meter never, every 20th
#            and every batch on, best of the 5
# Timings are the machine's of the moment: run it on an idle machine (it
# prints the load average before each part) and read ratios, not lone
# figures. --quick measures fewer pairs (for trying the script, not for
# the page). Naming blocks (fast passes pytorch tui) measures and writes
# only those. It takes about a quarter of an hour for all of them.
set -euo pipefail
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$root"
pairs=5 tuipairs=8
[[ ${1:-} == --quick ]] && { pairs=1 tuipairs=1; shift; }
parts=" ${*:-fast best passes pytorch tui purego flow} "
want() { [[ $parts == *" $1 "* ]]; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/lenet-tui" .
bin=$tmp/lenet-tui
load() { echo "speed.sh: $1 (load average $(cut -d' ' -f1 /proc/loadavg))" >&2; }

# timed NAME SEEDS: configs/NAME.yaml for each seed, its output and its wall
# time from launch to exit kept in $tmp.
timed() {
  local name=$1 seed start end; shift
  for seed in "$@"; do
    load "$name.yaml, seed $seed"
    start=$(date +%s.%N)
    (cd "$tmp" && ./lenet-tui train --config "$root/configs/$name.yaml" --seed $seed --no-save > "$name$seed.txt")
    end=$(date +%s.%N)
    echo "$seed $start $end" >> "$tmp/$name.times"
  done
}
want fast && timed fast 1 2 3 4
want best && timed best 1 2 3

want passes && for batch in 64 256; do
  load "bench --passes, batch $batch"
  "$bin" bench --passes --arch lenet5-modern --batch $batch > "$tmp/passes$batch.txt"
done

want pytorch && for arch in lenet5-modern lenet5; do
  for batch in 64 256; do
    load "compare.sh $arch batch $batch"
    bench/compare.sh --arch $arch --batch $batch --pairs $pairs --bin "$bin" > "$tmp/compare-$arch-$batch.txt"
  done
done

want tui && for size in 120x40 200x60; do
  load "tui-cost.sh $size"
  bench/tui-cost.sh --pairs $tuipairs --size $size --bin "$bin" > "$tmp/tui-$size.txt"
done

want purego && {
  go build -tags noasm -o "$tmp/lenet-tui-noasm" .
  for round in 1 2 3; do
    load "purego, round $round"
    "$bin" bench --json --arch lenet5 --batch 64 >> "$tmp/purego-asm.jsonl"
    "$tmp/lenet-tui-noasm" bench --json --arch lenet5 --batch 64 >> "$tmp/purego-go.jsonl"
  done
}

want flow && for round in 1 2 3 4 5; do # rounds, not -count 5: each round times all six in turn
  load "go test -bench TrainStepFlow, round $round"
  go test -run '^$' -bench TrainStepFlow ./engine >> "$tmp/flow.txt"
done

python3 - "$tmp" "$pairs" "$tuipairs" <<'PY'
import pathlib, re, statistics, sys
tmp, pairs, tuipairs = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
blocks = {}

def timed(name):
    rows, accs, walls = [], [], []
    for line in (tmp / f"{name}.times").read_text().splitlines():
        seed, start, end = line.split()
        acc = float(re.search(r"test accuracy ([\d.]+)%", (tmp / f"{name}{seed}.txt").read_text())[1])
        wall = float(end) - float(start)
        accs.append(acc); walls.append(wall)
        rows.append(f"| {seed} | {acc:.2f}% | {wall:.2f} s |")
    return "\n".join(["| seed | test accuracy | wall time, launch to exit |", "|---|---|---|", *rows,
        f"| median | {statistics.median(accs):.3f}% | {statistics.median(walls):.2f} s |"])

for name in ("fast", "best"):
    if (tmp / f"{name}.times").exists():
        blocks[name] = timed(name)

if (tmp / "purego-asm.jsonl").exists():
    import json
    best = lambda f, k: max(json.loads(l)[k] for l in (tmp / f).read_text().splitlines() if l.startswith("{"))
    rows = []
    for k, what in (("train_img_s", "training"), ("infer_img_s", "inference")):
        a, g = best("purego-asm.jsonl", k), best("purego-go.jsonl", k)
        rows.append(f"| {what} | {a:,.0f} img/s | {g:,.0f} img/s | {a / g:.1f}× |")
    blocks["purego"] = "\n".join(["| `lenet5`, batch 64 | assembly | pure Go (`-tags noasm`) | pure Go is slower by |",
                                   "|---|---|---|---|", *rows])

if (tmp / "passes64.txt").exists():
    blocks["passes"] = "\n".join(
        f"```\n$ lenet-tui bench --passes --arch lenet5-modern --batch {b}\n{(tmp / f'passes{b}.txt').read_text()}```"
        for b in (64, 256))

def summary(text):
    get = lambda label: re.search(rf"^{re.escape(label)}\s+([\d.]+)x?\s+([\d.]+)x?", text, re.M).groups()
    return get("lenet-tui/pytorch"), get("best lenet-tui"), get("best pytorch")

if (tmp / "compare-lenet5-64.txt").exists():
    rows = []
    for arch in ("lenet5-modern", "lenet5"):
        for b in (64, 256):
            (rt, ri), (gt, gi), (pt, pi) = summary((tmp / f"compare-{arch}-{b}.txt").read_text())
            f = lambda v: f"{float(v):,.0f}"
            rows.append(f"| `{arch}` | {b} | {float(rt):.2f}× (best {f(gt)} vs {f(pt)}, {float(gt)/float(pt):.2f}×) "
                        f"| {float(ri):.2f}× (best {f(gi)} vs {f(pi)}, {float(gi)/float(pi):.2f}×) |")
    blocks["pytorch"] = "\n".join([f"| net | batch | training: median of {pairs} pair ratios (best vs best, img/s) | inference |",
                                   "|---|---|---|---|", *rows])

if (tmp / "tui-120x40.txt").exists():
    lines = [(tmp / f"tui-{size}.txt").read_text().strip().splitlines()[-1] for size in ("120x40", "200x60")]
    blocks["tui"] = ("```\n$ bench/tui-cost.sh --pairs " + tuipairs + " --size 120x40   (and --size 200x60)\n"
                     + "\n".join(lines) + "\n```")

if (tmp / "flow.txt").exists():
    best = {}
    for m in re.finditer(r"^BenchmarkTrainStepFlow/lenet5/batch=(\d+)/flow=(\d+)\S*\s+\d+\s+([\d.]+) ns/op",
                         (tmp / "flow.txt").read_text(), re.M):
        key = (int(m[1]), int(m[2]))
        best[key] = min(best.get(key, float("inf")), float(m[3]))
    rows = []
    for b in sorted({b for b, _ in best}):
        none, every20, every = best[(b, 0)], best[(b, 20)], best[(b, 1)]
        rows.append(f"| {b} | {none / 1e3:.0f} µs | {every20 / 1e3:.0f} µs ({every20 / none - 1:+.1%}) "
                    f"| {every / 1e3:.0f} µs ({every / none - 1:+.1%}) |")
    blocks["flow"] = "\n".join(["| batch | a step, meter off | meter every 20th step | meter every step |",
                                 "|---|---|---|---|", *rows])

md = pathlib.Path("docs/speed.md")
text = md.read_text()
for name, body in blocks.items():
    text, n = re.subn(rf"<!-- speed:{name} -->\n.*?<!-- /speed -->",
                      lambda m: f"<!-- speed:{name} -->\n{body}\n<!-- /speed -->", text, flags=re.S)
    if n != 1:
        sys.exit(f"docs/speed.sh: docs/speed.md has {n} blocks marked speed:{name}, want 1")
md.write_text(text)
print("docs/speed.sh: wrote", ", ".join(blocks), "in docs/speed.md")
PY
