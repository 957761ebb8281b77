#!/usr/bin/env bash
# docs/capture.sh — make the README's screen pictures from the real program.
#
# usage: docs/capture.sh [--tour] [--arithmetic] [--names]
#
#   (no flag)  docs/screen.png: `lenet-tui --no-save --epochs 3` at 120×40,
#              captured a few seconds into the run (SCREEN_WAIT, default 6 s)
#   --tour     also docs/tour/NN-WxH.png: `lenet-tui tour --no-save` at 80×24
#              and 120×40, one picture per step, → between steps, TOUR_WAIT
#              (default 3 s) before each capture
#   --arithmetic  also docs/arithmetic/*.png at 120×40, a run paused after
#              SCREEN_WAIT: i on F6 and on OUTPUT (the softmax to the loss),
#              o (the whole forward pass) and tab in it (the gradients), and
#              one weight's gradient and step (i on C1, then WEIGHT_KEY)
#   --names    also docs/names/*.png at 120×40 and 80×24: classes by name, on
#              Fashion-MNIST (apt-get install dataset-fashion-mnist) and on an
#              image folder of letters (internal/imagefolder/mkfolder), each
#              run paused after NAMES_WAIT (default 12 s): the probe, then c
#
# It builds the binary, runs it in a private tmux server (tmux -L capture-PID),
# in a temporary directory so no run folder or checkpoint is left behind, and
# captures the pane with its colours (capture-pane -p -e); ansi2png (in
# ../shared/tools beside the repository; needs Debian's python3-pil and
# fonts-dejavu-core) turns each capture into a PNG. Numbers on the screens are
# the run's own: this machine's speed, this run's losses.
set -euo pipefail

root=$(git rev-parse --show-toplevel)
ansi2png="$root/../shared/tools/ansi2png"
tour=0 arithmetic=0 names=0
for arg in "$@"; do
  case $arg in
    --tour) tour=1 ;;
    --arithmetic) arithmetic=1 ;;
    --names) names=1 ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "capture.sh: unknown argument $arg (want --tour, --arithmetic, --names or nothing)" >&2; exit 2 ;;
  esac
done
command -v tmux >/dev/null || { echo "capture.sh: needs tmux (apt-get install tmux)" >&2; exit 1; }
[ -x "$ansi2png" ] || { echo "capture.sh: no $ansi2png" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/lenet-capture.XXXXXX")
sock="capture-$$"
T=(tmux -L "$sock")
cleanup() {
  "${T[@]}" kill-server 2>/dev/null || true # the private server only
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "building lenet-tui" >&2
(cd "$root" && go build -o "$work/lenet-tui" .)
cat >"$work/tmux.conf" <<'EOF'
set -g remain-on-exit on
set -g status off
set -g default-terminal "tmux-256color"
EOF

# start NAME W H CMD: a detached session of W×H running CMD in $work
start() {
  "${T[@]}" -f "$work/tmux.conf" new-session -d -s "$1" -x "$2" -y "$3" -c "$work" \
    "env -u NO_COLOR COLORTERM=truecolor $4"
}
# shot NAME OUT.png: the pane with its colours, as a PNG
shot() {
  "${T[@]}" capture-pane -p -e -t "=$1:" >"$work/shot.ans"
  "$ansi2png" "$work/shot.ans" "$2"
  echo "wrote ${2#"$root"/}" >&2
}

start screen 120 40 "./lenet-tui --no-save --epochs 3"
sleep "${SCREEN_WAIT:-6}"
shot screen "$root/docs/screen.png"
"${T[@]}" kill-session -t "=screen"

if [ "$tour" = 1 ]; then
  steps=$(grep -c '^	title: ' "$root/tui/tour.go")
  mkdir -p "$root/docs/tour"
  for size in 80x24 120x40; do
    w=${size%x*} h=${size#*x}
    start "tour$size" "$w" "$h" "./lenet-tui tour --no-save"
    for n in $(seq 1 "$steps"); do
      sleep "${TOUR_WAIT:-3}"
      shot "tour$size" "$root/docs/tour/$(printf %02d "$n")-$size.png"
      "${T[@]}" send-keys -t "=tour$size:" Right
    done
    "${T[@]}" kill-session -t "=tour$size"
  done
fi

if [ "$arithmetic" = 1 ]; then
  out="$root/docs/arithmetic"
  mkdir -p "$out"
  keys() { for k in "$@"; do "${T[@]}" send-keys -t "=arith:" "$k"; sleep 0.4; done; sleep 1; }
  start arith 120 40 "./lenet-tui --no-save --epochs 3"
  sleep "${SCREEN_WAIT:-6}"
  keys Space Right Right Right Right Right i # paused; C1 → F6, inspect
  shot arith "$out/inspect-F6-120x40.png"
  keys Escape Right i # OUTPUT: the logits to the loss
  shot arith "$out/inspect-OUTPUT-120x40.png"
  keys Escape o # the whole forward pass
  shot arith "$out/overview-120x40.png"
  keys Tab # the gradients of the probe's loss
  shot arith "$out/gradients-120x40.png"
  keys Escape Left Left Left Left Left Left i "${WEIGHT_KEY:-b}" # C1's inspected tap: its gradient and step
  shot arith "$out/weight-120x40.png"
  "${T[@]}" kill-session -t "=arith"
fi

if [ "$names" = 1 ]; then
  out="$root/docs/names"
  mkdir -p "$out"
  (cd "$root" && go run ./internal/imagefolder/mkfolder letters "$work/letters" >/dev/null)
  runs=("letters:./lenet-tui --no-save --epochs 3 --data letters")
  if [ -d /usr/share/datasets/fashion-mnist ]; then
    runs+=("fashion:./lenet-tui --no-save --epochs 3 --dataset fashion-mnist")
  else
    echo "capture.sh: no Fashion-MNIST (apt-get install dataset-fashion-mnist): its pictures are not made" >&2
  fi
  for run in "${runs[@]}"; do
    name=${run%%:*}
    for size in 120x40 80x24; do
      w=${size%x*} h=${size#*x}
      start "names" "$w" "$h" "${run#*:}"
      sleep "${NAMES_WAIT:-12}"
      "${T[@]}" send-keys -t "=names:" Space
      sleep 1
      shot names "$out/$name-probe-$size.png"
      "${T[@]}" send-keys -t "=names:" c
      sleep 1
      shot names "$out/$name-confusion-$size.png"
      "${T[@]}" kill-session -t "=names"
    done
  done
fi
