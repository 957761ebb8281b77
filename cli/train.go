package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/internal/outfile"
	"github.com/lenet-tui/lenet-tui/plain"
)

// train is the plain-text view of a run. A signal stops it after the
// batch, with its summary or final record.
func train(c config.Config, o options, stdout io.Writer) error {
	ctx, stop := interruptible()
	defer stop()
	var cfg engine.TrainConfig
	if o.json {
		cfg.FlowEvery = 100 // gradient flow and unit health, reported at each epoch's end
	}
	if err := checkSave(c.Save); err != nil {
		return err
	}
	p, err := newPipeline(c, cfg, o.runs, o.noSave, o.stderr)
	if err != nil {
		return err
	}
	c = p.d.c // with --load, the checkpoint's settings
	tr, t, err := p.start(c.Activation, c.LR, 0)
	if err != nil {
		return err
	}
	err, werr := p.show(func() error { return plain.Train(ctx, stdout, tr, c.Settings, o.json) })
	if err == nil {
		err = werr
	}
	if dir := p.dir(); err == nil && !o.json && dir != "" {
		_, err = io.WriteString(stdout, keptLine(dir))
	}
	return saveAtEnd(t, c.Save, err, o.json, stdout)
}

// checkSave says, before any training, whether --save's file (path; ""
// for none) can be written: its folder takes new files and nothing but a
// regular file stands at it. A run's weights are not lost to a typo.
func checkSave(path string) error {
	if path == "" {
		return nil
	}
	if err := outfile.Check(path); err != nil {
		return fmt.Errorf("--save: %w", err)
	}
	return nil
}

// saveAtEnd writes t's checkpoint to path ("" for none) once a run has
// ended well or been interrupted (to resume later), and says so; runErr is
// how the run ended, and is returned unless the save fails.
func saveAtEnd(t *engine.Trainer, path string, runErr error, asJSON bool, w io.Writer) error {
	var stopped interface{ ExitCode() int }
	if path == "" || runErr != nil && !errors.As(runErr, &stopped) {
		return runErr
	}
	if err := t.Save(path); err != nil {
		return fmt.Errorf("saving the checkpoint: %w", err)
	}
	ck, err := engine.ReadCheckpoint(path)
	if err != nil {
		return fmt.Errorf("reading back the checkpoint just saved: %w", err)
	}
	if asJSON {
		b, _ := json.Marshal(map[string]any{"checkpoint": path, "step": ck.Step, "epochs_done": ck.Epochs()})
		fmt.Fprintf(w, "%s\n", b)
	} else {
		fmt.Fprintf(w, "checkpoint %s: %g epoch(s), step %d, test accuracy %.2f%% (loss %.4f); resume with lenet-tui train --load %s\n",
			path, ck.Epochs(), ck.Step, 100*ck.TestAcc, ck.TestLoss, path)
	}
	return runErr
}
