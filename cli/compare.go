package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/figure"
	"github.com/lenet-tui/lenet-tui/plain"
	"github.com/lenet-tui/lenet-tui/runfolder"
	"github.com/lenet-tui/lenet-tui/tui"
)

// compareRuns prints run folders side by side, or draws them with --png.
func compareRuns(dirs []string, o options, stdout io.Writer) error {
	if err := checkTargets(o.png, "", ""); err != nil {
		return err
	}
	runs, err := readRuns(dirs)
	if err != nil {
		return err
	}
	keys := runfolder.Differing(runs)
	labels := make([]string, len(runs))
	for i, r := range runs {
		labels[i] = runfolder.Label(r, keys)
	}
	title := fmt.Sprintf("%d runs of %s on %s", len(runs), shared(runs, "arch"), shared(runs, "dataset"))
	if len(keys) > 0 {
		title += ", differing in " + strings.Join(keys, ", ")
	}
	title = runfolder.Shown(title)
	if o.png == "" {
		// in a terminal, the curves overlaid until q, then the table
		if f, ok := stdout.(*os.File); ok && term.IsTerminal(f.Fd()) && os.Getenv("TERM") != "dumb" {
			ctx, stop := interruptible()
			defer stop()
			if err := tui.Compare(tui.CompareOptions{Title: title, Runs: runs, Labels: labels, NoColor: os.Getenv("NO_COLOR") != "", Context: ctx}); err != nil {
				return err
			}
		}
		return plain.Compare(stdout, runs, keys)
	}
	if err := figure.PNG(o.png, title, runs, labels); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "wrote %s\n", escapeControls(o.png))
	return err
}

// shared is the value of key in every run, or "several" when they differ.
func shared(runs []*runfolder.Run, key string) string {
	v, _ := runs[0].Value(key)
	for _, r := range runs[1:] {
		if w, _ := r.Value(key); w != v {
			return "several " + key + "s"
		}
	}
	return v
}

// trainKept trains the run the config file at path describes, in plain
// text, keeping it in a new run folder under --runs, and returns the
// folder. A
// run that fails (a NaN loss) is still a run to compare: its error is
// printed and its folder returned; an interruption or a write error ends
// the command.
func trainKept(path string, o options, stdout io.Writer) (string, error) {
	f := config.Flags{Config: path}
	c, err := f.Resolve()
	if err != nil {
		return "", err
	}
	ctx, stop := interruptible()
	defer stop()
	p, err := newPipeline(c, engine.TrainConfig{}, o.runs, false, o.stderr)
	if err != nil {
		return "", err
	}
	c = p.d.c
	tr, _, err := p.start(c.Activation, c.LR, 0)
	if err != nil {
		return "", err
	}
	err, werr := p.show(func() error { return plain.Train(ctx, stdout, tr, c.Settings, false) })
	if werr != nil {
		return "", werr
	}
	if ctx.Err() != nil {
		return "", err
	}
	if err != nil {
		if _, werr := fmt.Fprintf(stdout, "%s\n", escapeControls(err.Error())); werr != nil {
			return "", werr
		}
	}
	return p.dir(), nil
}
