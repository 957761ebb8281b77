package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui"
)

// watch opens the terminal UI, or trains in plain text when stdout is not a
// terminal that can draw it (a pipe, CI, TERM=dumb) or --json is given.
func watch(c config.Config, o options, stdout io.Writer) error {
	f, ok := stdout.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) || o.json || os.Getenv("TERM") == "dumb" {
		return train(c, o, stdout)
	}
	ctx, stop := interruptible()
	defer stop()
	cfg := engine.TrainConfig{SnapshotEvery: 500 * time.Millisecond, EvalEvery: 0.25, FlowEvery: 20, Breakdown: true}
	p, err := newPipeline(c, cfg, o.runs, o.noSave)
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
	err, werr := p.show(func() error {
		return tui.Run(tui.Options{
			Context:    ctx,
			NewRun:     p.newRun,
			Activation: c.Activation,
			LR:         c.LR,
			NoColor:    os.Getenv("NO_COLOR") != "",
			RunDir:     dir,
			SavePath:   checkpointPath(c, dir),
		})
	})
	if err == nil {
		err = werr
	}
	return err
}

// checkpointPath is where the terminal UI's s key writes: --save's file,
// else in the run folder, else in the working directory.
func checkpointPath(c config.Config, runDir string) string {
	switch {
	case c.Save != "":
		return c.Save
	case runDir != "":
		return filepath.Join(runDir, "checkpoint.safetensors")
	}
	return c.Arch + ".safetensors"
}
