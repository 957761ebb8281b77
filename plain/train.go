package plain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/lenet-tui/lenet-tui/engine"
)

// Trainer is what Train needs of a run: an *engine.Trainer, or one whose
// events are recorded on their way here.
type Trainer interface {
	Info() engine.RunInfo
	Send(engine.Command)
	Run(context.Context)
	Events() <-chan engine.Event
}

// Train runs t to its end and prints it to w: a line per epoch, then a
// summary; with asJSON a JSON record per epoch and one at the end. A failed
// run is an error that says why and which flags would help. When ctx is
// cancelled the run stops after its batch and still ends with its summary
// or final record; the error is then context.Cause(ctx), or "interrupted". A
// failed write stops the run too and is the error returned.
func Train(ctx context.Context, w io.Writer, t Trainer, s engine.Settings, asJSON bool) error {
	p := printer{w: w, json: asJSON}
	if !asJSON {
		p.header(t.Info(), s)
	}
	if ctx.Err() != nil {
		t.Send(engine.Stop{}) // before the first batch, not after some
	}
	stop := context.AfterFunc(ctx, func() { t.Send(engine.Stop{}) })
	defer stop()
	go t.Run(context.WithoutCancel(ctx))
	stopping := false
	var failed *engine.Failed
	var flow *engine.Flow // the latest, reported with the next evaluation
	for ev := range t.Events() {
		switch ev := ev.(type) {
		case engine.Flow:
			flow = &ev
		case engine.EpochEnd:
			p.epoch(ev)
			if flow != nil {
				p.flow(ev.Epoch, *flow)
				flow = nil
			}
		case engine.WentNaN:
			p.wentNaN(ev)
		case engine.Done:
			p.done(ev)
		case engine.Failed:
			p.failed(ev)
			failed = &ev
		}
		if p.err != nil && !stopping {
			t.Send(engine.Stop{}) // nobody can read the rest
			stopping = true
		}
	}
	switch {
	case p.err != nil:
		return p.err
	case failed != nil:
		msg := "training stopped: " + failed.String()
		if a := Advice(*failed); a != "" {
			msg += "; " + a
		}
		return errors.New(msg)
	case ctx.Err() != nil:
		if cause := context.Cause(ctx); cause != ctx.Err() {
			return cause
		}
		return errors.New("interrupted")
	}
	return nil
}

// printer writes lines or records and keeps the first write error.
type printer struct {
	w    io.Writer
	json bool
	err  error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func (p *printer) record(r map[string]any) {
	NullNaN(r)
	if p.err == nil {
		p.err = json.NewEncoder(p.w).Encode(r)
	}
}

func (p *printer) header(info engine.RunInfo, s engine.Settings) {
	lr := fmt.Sprintf("lr %g", s.LR)
	if s.Schedule == engine.ScheduleOneCycle {
		lr += " (onecycle)"
	}
	loss := string(s.Loss)
	if s.Output == engine.OutputRBF {
		loss = "rbf (eq. 9)"
	}
	aug := ""
	if s.Augment.String() != engine.AugmentNone.String() {
		aug = ", augment " + s.Augment.String()
	}
	p.printf("%s on %s (%d train, %d test images): %s, init %s, %s %s, batch %d, %d epoch(s), loss %s/%s%s\n",
		info.Arch, info.Dataset, info.TrainCount, info.TestCount, s.Activation, s.Init, s.Optimizer, lr, s.Batch, s.Epochs, loss, s.Reduction, aug)
	p.printf("%5s  %10s  %9s  %9s  %8s  %7s  %7s\n", "epoch", "train loss", "train acc", "test loss", "test acc", "seconds", "img/s")
}

func (p *printer) epoch(ev engine.EpochEnd) {
	if p.json {
		p.record(map[string]any{"epoch": ev.Epoch, "train_loss": ev.TrainLoss, "train_acc": ev.TrainAcc,
			"test_loss": ev.TestLoss, "test_acc": ev.TestAcc, "seconds": ev.Seconds, "img_s": ev.ImagesPerSec})
		return
	}
	p.printf("%5d  %10.4f  %8.2f%%  %9.4f  %7.2f%%  %7.1f  %7.0f\n", ev.Epoch, ev.TrainLoss, 100*ev.TrainAcc,
		ev.TestLoss, 100*ev.TestAcc, ev.Seconds, ev.ImagesPerSec)
}

// flow reports the gradient flow and unit health of the last measured batch
// of an epoch, per block (JSON only).
func (p *printer) flow(epoch int, f engine.Flow) {
	if !p.json {
		return
	}
	layers := make([]map[string]any, len(f.Layers))
	for i, l := range f.Layers {
		r := map[string]any{"name": l.Name, "activation": l.Activation.String(), "grad_rms": l.GradRMS, "input_grad_rms": l.InputGradRMS}
		if !math.IsNaN(l.Saturated) {
			r["saturated"] = l.Saturated
		}
		if !math.IsNaN(l.DeadMaps) { // relu: maps 0 everywhere on every image, and positions 0 on every image
			r["dead_maps"], r["maps"], r["silent"] = l.DeadMapCount, l.Maps, l.Silent
		}
		NullNaN(r)
		layers[i] = r
	}
	p.record(map[string]any{"flow": true, "epoch": epoch, "step": f.Step, "layers": layers})
}

func (p *printer) done(ev engine.Done) {
	switch {
	case p.json:
		p.record(map[string]any{"done": true, "epochs": ev.Epochs, "test_loss": ev.TestLoss, "test_acc": ev.TestAcc,
			"seconds": ev.Seconds, "stopped": ev.Stopped})
	case ev.Epochs == 0:
		p.printf("stopped before the first epoch ended (%.1f s)\n", ev.Seconds)
	default:
		p.printf("test accuracy %.2f%% (loss %.4f) after %d epoch(s), %.1f s in all\n", 100*ev.TestAcc, ev.TestLoss, ev.Epochs, ev.Seconds)
	}
}

// wentNaN says that the loss turned NaN and the run goes on (on_nan
// continue); the epochs that follow print NaN losses.
func (p *printer) wentNaN(ev engine.WentNaN) {
	if p.json {
		p.record(map[string]any{"nan": true, "epoch": ev.Epoch, "batch": ev.Batch, "step": ev.Step, "cause": ev.String()})
		return
	}
	p.printf("%s; training goes on with NaN weights (--on-nan continue), as the note's TensorFlow program did\n", ev.String())
}

func (p *printer) failed(ev engine.Failed) {
	if p.json {
		p.record(map[string]any{"failed": true, "epoch": ev.Epoch, "batch": ev.Batch, "step": ev.Step,
			"cause": ev.String(), "advice": Advice(ev)})
	}
}

// Advice says which flags would keep a failed run from failing again, or
// for a crash, what to do with its log.
func Advice(f engine.Failed) string {
	if f.Cause == engine.CausePanic {
		return "this is a bug in lenet-tui, not in your settings: please report it with the log file"
	}
	var tips []string
	for _, r := range f.Remedies() {
		switch r {
		case engine.RemedyInit:
			tips = append(tips, fmt.Sprintf("σ=%g initial weights let %s activations grow layer by layer: try --init he (glorot for sigmoid)", f.Settings.InitStd, f.Settings.Activation))
		case engine.RemedyStableLoss:
			tips = append(tips, "--loss stable never takes log(0)")
		case engine.RemedyLowerLR:
			tips = append(tips, "a smaller --lr keeps weights from running away")
		}
	}
	return strings.Join(tips, "; ")
}

// NullNaN replaces the NaN and ±Inf numbers of r with nil, which JSON
// writes as null.
func NullNaN(r map[string]any) {
	for k, v := range r {
		if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			r[k] = nil
		}
	}
}
