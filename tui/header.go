package tui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/lenet-tui/lenet-tui/engine"
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
	prog       engine.Progress
	epoch      *engine.EpochEnd
	done       *engine.Done
	failed     *engine.Failed
	status     string
	statusBad  bool
}

func newHeader(st styles) header { return header{frame: newFrame(st, "")} }

func (h *header) reset(info engine.RunInfo) {
	*h = header{frame: h.frame, info: info,
		activation: info.Activation, lr: info.LR, wantAct: info.Activation, wantLR: info.LR}
	h.touch()
}

// setPending records what the user asked for before the trainer confirms it.
func (h *header) setPending(act engine.Activation, lr float64) {
	h.wantAct, h.wantLR = act, lr
	h.touch()
}

func (h *header) setStatus(s string, bad bool) {
	h.status, h.statusBad = s, bad
	h.touch()
}

func (h *header) setState(s runState) {
	h.state = s
	h.touch()
}

func (h *header) update(ev engine.Event) {
	h.touch()
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
	lines := append([]string{h.titleLine(), h.progressLine(iw)}, h.statusLines(iw)...)
	return strings.Join(lines, "\n")
}

// maxFailureLines bounds how tall the header grows to explain a failure.
const maxFailureLines = 4

// statusLines is the status line, or for a failure its whole explanation,
// word-wrapped to width w.
func (h *header) statusLines(w int) []string {
	if h.failed == nil {
		return []string{h.statusLine()}
	}
	text := "Training failed: " + h.failed.String() + ". " + failureAdvice(*h.failed)
	lines := splitLines(lipgloss.NewStyle().Width(w).Render(text))
	if len(lines) > maxFailureLines {
		lines = lines[:maxFailureLines]
		lines[maxFailureLines-1] += "…"
	}
	for i, l := range lines {
		lines[i] = h.st.MetricBad.Render(strings.TrimRight(l, " "))
	}
	return lines
}

func (h *header) titleLine() string {
	s := h.st
	sep := s.Subtle.Render(" │ ")
	ds := h.info.Dataset
	if ds == "" {
		ds = "?"
	}
	if h.info.TrainCount > 0 && !h.bare {
		ds += s.Label.Render(fmt.Sprintf(" %s train / %s test", commas(h.info.TrainCount), commas(h.info.TestCount)))
	}
	act := s.Value.Render(h.activation.String())
	if h.wantAct != h.activation && h.wantAct != "" {
		act += s.MetricWarn.Render(" → " + h.wantAct.String())
	}
	lr := s.Value.Render(fmt.Sprintf("%g", h.lr))
	if h.wantLR != h.lr && h.wantLR != 0 {
		lr += s.MetricWarn.Render(fmt.Sprintf(" → %g", h.wantLR))
	}
	parts := []string{
		s.Title.Render("lenet-tui"),
		s.Label.Render("data ") + s.Value.Render(ds),
		s.Label.Render("arch ") + s.Value.Render(h.info.Arch),
		s.Label.Render("act ") + act,
		s.Label.Render("opt ") + s.Value.Render(h.info.Optimizer.String()) + s.Label.Render(" lr ") + lr,
		s.Label.Render("batch ") + s.Value.Render(fmt.Sprint(h.info.Batch)),
		h.stateBadge(),
	}
	return strings.Join(parts, sep)
}

func (h *header) stateBadge() string {
	s := h.st
	switch h.state {
	case stateTraining:
		return s.StateRun.Render("● training")
	case statePaused:
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

func (h *header) progressLine(inner int) string {
	s := h.st
	p := h.prog
	epochs := h.info.Epochs
	batches := p.Batches
	if batches == 0 && h.info.Batch > 0 {
		batches = (h.info.TrainCount + h.info.Batch - 1) / h.info.Batch
	}
	frac := 0.0
	if batches > 0 {
		frac = float64(p.Batch) / float64(batches)
	}
	left := s.Label.Render("epoch ") + s.Value.Render(fmt.Sprintf("%d/%d", p.Epoch, epochs)) + " "
	right := fmt.Sprintf(" %s %s", s.Label.Render("batch"), s.Value.Render(fmt.Sprintf("%d/%d", p.Batch, batches)))
	right += fmt.Sprintf(" %3.0f%%", 100*frac)
	if eta, ok := h.eta(); ok {
		right += s.Subtle.Render(" │ ") + s.Label.Render("ETA ") + s.Value.Render(duration(eta))
	}
	right += s.Subtle.Render(" │ ") + s.Value.Render(commas(int(math.Round(p.ImagesPerSec)))) + s.Label.Render(" img/s")
	loss, acc := "—", "—"
	if len(p.Losses) > 0 {
		loss, acc = fmt.Sprintf("%.4f", p.TrainLoss), percent(p.TrainAcc)
	}
	right += s.Subtle.Render(" │ ") + s.Label.Render("loss ") + s.Value.Render(loss) +
		s.Label.Render(" acc ") + s.Value.Render(acc)
	barW := clamp(inner-lipgloss.Width(left)-lipgloss.Width(right), 10, 60)
	return left + h.bar(frac, barW) + right
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

func (h *header) statusLine() string {
	s := h.st
	switch {
	case h.status != "" && h.statusBad:
		return s.MetricBad.Render(h.status)
	case h.done != nil:
		return h.doneLine()
	case h.status != "":
		return s.MetricWarn.Render(h.status)
	case h.epoch != nil:
		e := h.epoch
		return s.Label.Render(fmt.Sprintf("epoch %d/%d: ", e.Epoch, e.Epochs)) +
			s.Label.Render("test loss ") + s.Value.Render(fmt.Sprintf("%.4f", e.TestLoss)) +
			s.Label.Render("  test acc ") + s.MetricGood.Render(percent(e.TestAcc)) +
			s.Label.Render(fmt.Sprintf("  (%.1f s, %s img/s)", e.Seconds, commas(int(e.ImagesPerSec))))
	}
	return s.Label.Render("waiting for the first epoch's test evaluation…")
}

func (h *header) doneLine() string {
	s := h.st
	d := h.done
	verb := "Finished"
	if d.Stopped {
		verb = "Stopped"
	}
	line := s.StateDone.Render(fmt.Sprintf("%s after %d epochs (%s). ", verb, d.Epochs, duration(time.Duration(d.Seconds*float64(time.Second)))))
	if math.IsNaN(d.TestAcc) {
		return line + s.Label.Render("No test evaluation yet. Press q to quit or r to restart.")
	}
	return line + s.Label.Render("Final test accuracy ") + s.MetricGood.Render(percent(d.TestAcc)) +
		s.Label.Render(fmt.Sprintf(", test loss %.4f. Press q to quit or r to restart.", d.TestLoss))
}

// failureAdvice says what to do about a failed run with this program's keys.
func failureAdvice(f engine.Failed) string {
	var tips []string
	if f.WeightsTooLarge() {
		tips = append(tips, fmt.Sprintf("σ=%g initial weights make %s activations grow layer by layer; r restarts with the same weights, so relaunch with --init he (glorot for sigmoid)", f.Settings.InitStd, f.Settings.Activation))
	}
	if f.Settings.Loss == engine.LossNaive {
		tips = append(tips, "the naive loss takes log(0); relaunch with --loss stable")
	}
	tips = append(tips, "switch the activation (a/A) or lower the learning rate (-), then press r")
	return strings.Join(tips, "; ") + "."
}
