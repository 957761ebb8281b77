package tui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// header shows what is training and how far it is: dataset, architecture,
// activation, optimiser and learning rate, state, a progress bar with ETA and
// throughput, and one status line (last epoch, final result, failure or a
// message).
type header struct {
	frame

	info       engine.RunInfo
	state      runState
	activation engine.Activation // in force
	lr         float64           // in force
	wantAct    engine.Activation
	wantLR     float64
	wantPaused bool // asked to pause; the badge says so before the trainer confirms
	health     health
	prog       engine.Progress
	epoch      *engine.EpochEnd
	done       *engine.Done
	failed     *engine.Failed
	status     string
	statusBad  bool
	statusCkpt bool     // the status is about a checkpoint: shown over the final result too
	runDir     string   // shown until the first epoch ends
	saved      []string // the checkpoints s wrote, in order
	touring    bool     // the tour is open: it explains a failure, which gets one line (its band must not move)
}

func newHeader(st styles) header { return header{frame: newFrame(st, "")} }

func (h *header) reset(info engine.RunInfo) {
	*h = header{frame: h.frame, info: info, health: newHealth(info), touring: h.touring,
		activation: info.Activation, lr: info.LR, wantAct: info.Activation, wantLR: info.LR}
	h.touch()
}

// setPendingPause records a pause or resume asked for, shown at once.
func (h *header) setPendingPause(p bool) {
	h.wantPaused = p
	h.touch()
}

// setPending records what the user asked for before the trainer confirms it.
func (h *header) setPending(act engine.Activation, lr float64) {
	h.wantAct, h.wantLR = act, lr
	h.touch()
}

func (h *header) setStatus(s string, bad bool) {
	h.status, h.statusBad, h.statusCkpt = s, bad, false
	h.touch()
}

// setCheckpointStatus is setStatus for what the s key did.
func (h *header) setCheckpointStatus(s string, bad bool) {
	h.setStatus(s, bad)
	h.statusCkpt = true
}

// setTouring tells the header the tour is open (or not): a failure then
// gets one line, and the first screen's hint of the tour goes.
func (h *header) setTouring(on bool) {
	h.touring = on
	h.touch()
}

func (h *header) setState(s runState) {
	h.state = s
	h.touch()
}

func (h *header) update(ev engine.Event) {
	h.touch()
	h.health.update(ev)
	switch e := ev.(type) {
	case engine.Progress:
		h.prog = e
	case engine.EpochEnd:
		h.epoch = &e
		h.status = ""
	case engine.ActivationChanged:
		h.activation, h.wantAct = e.Activation, e.Activation
		h.setStatus(fmt.Sprintf("activation → %s from batch %d; weights kept", e.Activation, e.Step+1), false)
	case engine.LRChanged:
		h.lr, h.wantLR = e.LR, e.LR
		h.setStatus(fmt.Sprintf("learning rate → %g from batch %d", e.LR, e.Step+1), false)
	case engine.Saved:
		if e.Err != "" {
			h.setCheckpointStatus("checkpoint not saved: "+e.Err, true)
		} else {
			h.setCheckpointStatus(fmt.Sprintf("checkpoint → %s (step %d, test acc %s)", e.Path, e.Step, percent(e.TestAcc)), false)
			h.saved = append(h.saved, e.Path)
		}
	case engine.WentNaN:
		h.setStatus("Training goes on with NaN weights (on_nan continue), as the note's TensorFlow program did: "+e.String(), true)
	case engine.Done:
		h.done = &e
	case engine.Failed:
		h.failed = &e
		if h.prog.Step < e.Step {
			// Failed in a batch no Progress reported: show where.
			h.prog.Epoch, h.prog.Batch, h.prog.Step = e.Epoch, e.Batch, e.Step
		}
	}
}

func (h *header) view() string { return h.draw(h.body) }

// body is the title line, the progress line and the status, iw wide.
func (h *header) body(iw, _ int) string {
	lines := append([]string{h.titleLine(iw), h.progressLine(iw)}, h.statusLines(iw)...)
	return strings.Join(lines, "\n")
}

// maxFailureLines bounds how tall the header grows to explain a failure.
const maxFailureLines = 4

// statusLines is the status line, or for a failure its whole explanation,
// word-wrapped to width w. A verdict on the run takes the status line's
// place, on one line, so the panels below never move while it trains.
func (h *header) statusLines(w int) []string {
	var text string
	switch {
	case h.failed != nil && h.touring:
		where, _, _ := strings.Cut(h.failed.String(), ": ")
		return []string{h.st.MetricBad.Render(draw.Truncate("Training failed: "+where, w))}
	case h.failed != nil:
		text = "Training failed: " + h.failed.String() + ". " + Advice(*h.failed)
	case h.done == nil && !(h.status != "" && h.statusBad):
		if line := verdictLine(h.health.verdict(), w); line != "" {
			return []string{h.st.MetricBad.Render(line)}
		}
		return []string{h.statusLine()}
	default:
		return []string{h.statusLine()}
	}
	lines := draw.SplitLines(lipgloss.NewStyle().Width(w).Render(text))
	most := maxFailureLines
	if h.touring {
		most = 1
	}
	cut := len(lines) > most
	if cut {
		lines = lines[:most]
	}
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	if cut {
		lines[most-1] += "…"
	}
	for i, l := range lines {
		lines[i] = h.st.MetricBad.Render(l)
	}
	return lines
}

// titleLine says what is training and the state, in iw cells: when it does
// not fit it leaves out, in turn, the set sizes, the batch size, the
// program's name, the dataset and the optimiser, never the state.
func (h *header) titleLine(iw int) string {
	s := h.st
	ds := h.info.Dataset
	if ds == "" {
		ds = "?"
	}
	data := s.Label.Render("data ") + s.Value.Render(ds)
	counts := data
	if h.info.TrainCount > 0 {
		counts += s.Label.Render(fmt.Sprintf(" %s train / %s test", engine.Thousands(h.info.TrainCount), engine.Thousands(h.info.TestCount)))
	}
	act := s.Value.Render(h.activation.String())
	if h.wantAct != h.activation && h.wantAct != "" {
		act += s.MetricWarn.Render(" → " + h.wantAct.String())
	}
	lr, peak := h.rateNow()
	if h.wantLR != h.lr && h.wantLR != 0 {
		lr += s.MetricWarn.Render(" → " + num(h.wantLR))
		peak = lr
	}
	name, arch := s.Title.Render("lenet-tui"), s.Label.Render("arch ")+s.Value.Render(h.info.Arch)
	act = s.Label.Render("act ") + act
	opt := s.Label.Render("opt ") + s.Value.Render(h.info.Optimizer.String()) + " " + lr
	optPeak := s.Label.Render("opt ") + s.Value.Render(h.info.Optimizer.String()) + " " + peak
	batch := s.Label.Render("batch ") + s.Value.Render(fmt.Sprint(h.info.Batch))
	state := h.stateBadge()
	return draw.PickJoined(iw, s.Subtle.Render(" │ "),
		[]string{name, counts, arch, act, optPeak, batch, state},
		[]string{name, data, arch, act, optPeak, batch, state},
		[]string{name, counts, arch, act, opt, batch, state},
		[]string{name, data, arch, act, opt, batch, state},
		[]string{name, data, arch, act, opt, state},
		[]string{data, arch, act, opt, state},
		[]string{arch, act, opt, state},
		[]string{arch, act, lr, state})
}

func (h *header) stateBadge() string {
	s := h.st
	switch h.state {
	case stateTraining:
		if h.wantPaused {
			return s.StatePaused.Render("❚❚ pausing…")
		}
		return s.StateRun.Render("● training")
	case statePaused:
		if !h.wantPaused {
			return s.StateRun.Render("● resuming…")
		}
		return s.StatePaused.Render("❚❚ paused")
	case stateFinished:
		return s.StateDone.Render("✔ finished")
	case stateFailed:
		return s.StateFailed.Render("✘ failed")
	case stateStopped:
		return s.StatePaused.Render("■ stopped")
	}
	return s.Label.Render("… starting")
}

// progressLine is the epoch, a progress bar and the batch, then as many of
// ETA, throughput and the running loss and accuracy as fit in iw cells
// (the throughput goes first, then the ETA).
func (h *header) progressLine(iw int) string {
	s := h.st
	p := h.prog
	batches := p.Batches
	if batches == 0 && h.info.Batch > 0 {
		batches = (h.info.TrainCount + h.info.Batch - 1) / h.info.Batch
	}
	frac := 0.0
	if batches > 0 {
		frac = float64(p.Batch) / float64(batches)
	}
	sep := s.Subtle.Render(" │ ")
	left := s.Label.Render("epoch ") + s.Value.Render(fmt.Sprintf("%d/%d", p.Epoch, h.info.Epochs)) + " "
	where := fmt.Sprintf(" %s %s %3.0f%%", s.Label.Render("batch"), s.Value.Render(fmt.Sprintf("%d/%d", p.Batch, batches)), 100*frac)
	var eta, rate string
	if d, ok := h.eta(); ok {
		eta = s.Label.Render("ETA ") + s.Value.Render(duration(d))
	}
	if p.ImagesPerSec > 0 && h.state == stateTraining && !h.wantPaused { // a paused run has no rate
		rate = s.Value.Render(engine.Thousands(int(math.Round(p.ImagesPerSec)))) + s.Label.Render(" img/s")
	}
	loss, acc := "—", "—"
	if len(p.Losses) > 0 {
		loss, acc = lossText(p.TrainLoss), percent(p.TrainAcc)
	}
	// The loss and accuracy always say which they are (the charts' train
	// line is an EMA, these are means over the epoch so far): "epoch mean
	// loss" where there is room, "mean loss" where there is not.
	fig := s.Label.Render("loss ") + s.Value.Render(loss) + s.Label.Render(" acc ") + s.Value.Render(acc)
	figLong, figShort := s.Label.Render("epoch mean ")+fig, s.Label.Render("mean ")+fig
	// The bar says no more than the percentage beside it, so it shrinks
	// to keep the ETA before the ETA goes.
	const minBar, narrowBar = 10, 5
	var right string
	barMin := minBar
	for _, v := range []struct {
		parts []string
		bar   int
	}{
		{[]string{where, eta, rate, figLong}, minBar},
		{[]string{where, eta, rate, figShort}, minBar},
		{[]string{where, eta, figLong}, minBar},
		{[]string{where, eta, figShort}, minBar},
		{[]string{where, eta, figShort}, narrowBar},
		{[]string{where, figShort}, narrowBar},
		{[]string{where}, narrowBar},
	} {
		right, barMin = strings.Join(nonEmpty(v.parts), sep), v.bar
		if lipgloss.Width(left)+barMin+lipgloss.Width(right) <= iw {
			break
		}
	}
	barW := clamp(iw-lipgloss.Width(left)-lipgloss.Width(right), barMin, 60)
	return left + h.bar(frac, barW) + right
}

// nonEmpty drops the empty strings of parts.
func nonEmpty(parts []string) []string {
	out := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// eta estimates the training time left from the throughput; evaluation
// passes are not counted.
func (h *header) eta() (time.Duration, bool) {
	p := h.prog
	if h.state != stateTraining || p.ImagesPerSec <= 0 || h.info.Batch <= 0 || p.Batches <= 0 {
		return 0, false
	}
	left := (h.info.Epochs-p.Epoch)*p.Batches + p.Batches - p.Batch
	secs := float64(left*h.info.Batch) / p.ImagesPerSec
	return time.Duration(secs * float64(time.Second)), true
}

// bar draws a w-cell progress bar filled to frac.
func (h *header) bar(frac float64, w int) string {
	full := int(math.Round(frac * float64(w)))
	full = clamp(full, 0, w)
	return h.st.BarFull.Render(strings.Repeat("━", full)) + h.st.BarEmpty.Render(strings.Repeat("─", w-full))
}

// rateNow is the learning rate in force, as the value to show and, under a
// schedule, with its peak ("lr 0.0021 of 0.003 onecycle").
func (h *header) rateNow() (lr, withPeak string) {
	s := h.st
	now := h.lr
	if h.prog.LR > 0 && h.info.Schedule == engine.ScheduleOneCycle {
		now = h.prog.LR
	}
	lr = s.Label.Render("lr ") + s.Value.Render(num(now))
	if h.info.Schedule != engine.ScheduleOneCycle {
		return lr, lr
	}
	return lr, lr + s.Label.Render(" of "+num(h.lr)+" "+h.info.Schedule.String())
}

func (h *header) statusLine() string {
	s := h.st
	switch {
	case h.status != "" && h.statusBad:
		return s.MetricBad.Render(h.status)
	case h.status != "" && h.statusCkpt:
		return s.MetricWarn.Render(h.status)
	case h.done != nil:
		return h.doneLine()
	case h.status != "":
		return s.MetricWarn.Render(h.status)
	case h.epoch != nil:
		e := h.epoch
		return s.Label.Render(fmt.Sprintf("epoch %d/%d: ", e.Epoch, e.Epochs)) +
			s.Label.Render("test loss ") + s.Value.Render(lossText(e.TestLoss)) +
			s.Label.Render("  test acc ") + s.MetricGood.Render(percent(e.TestAcc)) +
			s.Label.Render(fmt.Sprintf("  (%.1f s, %s img/s)", e.Seconds, engine.Thousands(int(e.ImagesPerSec))))
	}
	hint := ""
	if !h.touring {
		hint = s.MetricGood.Render("new here? t starts a guided tour") + s.Label.Render(" · ")
	}
	if h.runDir != "" {
		return hint + s.Label.Render("run folder → ") + s.Value.Render(h.runDir) + s.Label.Render(" · waiting for the first epoch's test evaluation…")
	}
	return hint + s.Label.Render("waiting for the first epoch's test evaluation…")
}

func (h *header) doneLine() string {
	s := h.st
	d := h.done
	verb := "Finished"
	if d.Stopped {
		verb = "Stopped"
	}
	epochs := "epochs"
	if d.Epochs == 1 {
		epochs = "epoch"
	}
	line := s.StateDone.Render(fmt.Sprintf("%s after %d %s (%s). ", verb, d.Epochs, epochs, duration(time.Duration(d.Seconds*float64(time.Second)))))
	if math.IsNaN(d.TestAcc) {
		return line + s.Label.Render("No test evaluation yet. Press q to quit or r to restart.")
	}
	return line + s.Label.Render("Final test accuracy ") + s.MetricGood.Render(percent(d.TestAcc)) +
		s.Label.Render(", test loss "+lossText(d.TestLoss)+". Press q to quit or r to restart.")
}

// Advice words the engine's remedies for a failure in the terminal
// UI's terms: keys for what a key can change (a/A, -, then r), a
// relaunch flag for what none can (the initialiser, the loss).
func Advice(f engine.Failed) string {
	if f.Cause == engine.CausePanic {
		return "This is a bug in lenet-tui, not in your settings: please report it with that file. Press r to start again, q to quit."
	}
	keys := "switch the activation (a/A)"
	var relaunch []string
	for _, r := range f.Remedies() {
		switch r {
		case engine.RemedyLowerLR:
			keys += " or lower the learning rate (-)"
		case engine.RemedyInit:
			init := "glorot"
			if f.Settings.Activation == engine.ReLU {
				init = "he"
			}
			relaunch = append(relaunch, fmt.Sprintf("σ=%g initial weights are too wide for %s: relaunch with --init %s", f.Settings.InitStd, f.Settings.Activation, init))
		case engine.RemedyStableLoss:
			relaunch = append(relaunch, "the naive loss takes log(0): relaunch with --loss stable")
		}
	}
	advice := "To retry, " + keys + ", then press r."
	if len(relaunch) > 0 {
		advice += " No key changes the initialiser or the loss; " + strings.Join(relaunch, "; ") + "."
	}
	return advice
}

// lossText prints a loss to four decimals, or, once it has blown up past
// ten thousand, in three significant digits (3.38e+25), so it keeps its
// place on the line.
func lossText(v float64) string {
	if math.Abs(v) >= 1e4 {
		return fmt.Sprintf("%.3g", v)
	}
	return fmt.Sprintf("%.4f", v)
}
