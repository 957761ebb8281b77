package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui"
)

// watch opens the terminal UI, or trains in plain text when stdout is not a
// terminal that can draw it (a pipe, CI, TERM=dumb) or --json is given.
func watch(c config.Config, o options, stdout io.Writer) error {
	if !drawable(stdout) || o.json {
		return train(c, o, stdout)
	}
	return screen(c, o, stdout, false)
}

// tour opens the terminal UI on the tour's first step.
func tour(c config.Config, o options, stdout io.Writer) error {
	if !drawable(stdout) {
		return errors.New("the tour is a terminal UI: run lenet-tui tour in a terminal (stdout is not one, or TERM=dumb)")
	}
	return screen(c, o, stdout, true)
}

// drawable reports whether stdout is a terminal the UI can draw on.
func drawable(stdout io.Writer) bool {
	f, ok := stdout.(*os.File)
	return ok && term.IsTerminal(f.Fd()) && os.Getenv("TERM") != "dumb"
}

// parsePace reads --pace.
func parsePace(s string) (tui.Pace, error) {
	switch s {
	case "full":
		return tui.PaceFull, nil
	case "slow":
		return tui.PaceSlow, nil
	case "batch":
		return tui.PaceBatch, nil
	}
	return tui.PaceFull, fmt.Errorf("%q: want full, slow or batch", s)
}

// screen runs the terminal UI, on the tour if tour, and says at the end
// how the last run ended.
func screen(c config.Config, o options, stdout io.Writer, tour bool) error {
	ctx, stop := interruptible()
	defer stop()
	cfg := engine.TrainConfig{SnapshotEvery: 500 * time.Millisecond, EvalEvery: 0.25, FlowEvery: 20, Breakdown: true, ProbeGradients: true}
	if err := checkSave(c.Save); err != nil {
		return err
	}
	p, err := newPipeline(c, cfg, o.runs, o.noSave, o.stderr)
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	c = p.d.c // with --load, the checkpoint's settings
	dir, err := p.reserve()
	if err != nil {
		return err
	}
	var out tui.Outcome
	err, werr := p.show(func() (err error) {
		out, err = tui.Run(tui.Options{
			Context:      ctx,
			NewRun:       p.newRun,
			Activation:   c.Activation,
			LR:           c.LR,
			NoColor:      os.Getenv("NO_COLOR") != "",
			RunDir:       dir,
			SavePath:     c.Save, // else the current run's folder, else:
			SaveFallback: c.Arch + ".safetensors",
			Tour:         tour,
			Pace:         o.pace,
			PadFolder:    o.padFolder,
		})
		return err
	})
	if err == nil {
		err = werr
	}
	if err == nil {
		err = sayOutcome(stdout, out)
	}
	return err
}

// sayOutcome tells, once the screen is gone, what train tells at its end:
// how the last run ended, where it is kept and how to draw it, and the
// checkpoints written with how to use them.
func sayOutcome(w io.Writer, out tui.Outcome) error {
	var b strings.Builder
	run := fmt.Sprintf("%s, %s", out.Info.Arch, out.Activation)
	switch left := out.Left; {
	case out.Failed != nil:
		fmt.Fprintf(&b, "%s: training failed: %s\n", run, out.Failed)
	case out.Epoch == nil:
		fmt.Fprintf(&b, "%s: left at epoch %d, batch %d of %d, before the first epoch's test evaluation\n", run, left.Epoch, left.Batch, left.Batches)
	default:
		e := out.Epoch
		fmt.Fprintf(&b, "%s: test accuracy %.2f%% (loss %.4f) after %d of %d epoch(s)", run, 100*e.TestAcc, e.TestLoss, e.Epoch, e.Epochs)
		if out.Done == nil && left.Step > e.Step {
			fmt.Fprintf(&b, "; left at epoch %d, batch %d of %d", left.Epoch, left.Batch, left.Batches)
		}
		b.WriteString("\n")
	}
	if out.RunDir != "" {
		b.WriteString(keptLine(out.RunDir))
	}
	for _, ck := range out.Saved {
		q := shellWords([]string{ck})
		fmt.Fprintf(&b, "checkpoint %s (lenet-tui eval --load %s measures it; lenet-tui train --load %s resumes it)\n", ck, q, q)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// keptLine says where a run is kept and how to look at it again.
func keptLine(dir string) string {
	q := shellWords([]string{dir})
	return fmt.Sprintf("run kept in %s (lenet-tui plot %s draws it; --no-save keeps none)\n", dir, q)
}
