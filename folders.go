package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/figure"
	"github.com/lenet-tui/lenet-tui/history"
	"github.com/lenet-tui/lenet-tui/plain"
	"github.com/lenet-tui/lenet-tui/tui"
)

// dispatchFolders parses the command line of a command that reads run
// folders: folders and --png in any order.
func dispatchFolders(cmd command, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("lenet-tui "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o options
	fs.StringVar(&o.png, "png", "", "draw the figure into the PNG file `FILE`")
	if cmd.name == "plot" {
		fs.StringVar(&o.embeddingPNG, "embedding-png", "", "draw F6's embedding at the run's last epoch's end into `FILE` (by default --png's file with -embedding before .png)")
	}
	var configs []string
	if cmd.name == "compare" {
		fs.Func("config", "first train the run config `FILE` describes (once per --config, one after another), keeping it under --runs", func(s string) error {
			if s == "" {
				return errors.New("want a config file")
			}
			configs = append(configs, s)
			return nil
		})
		fs.StringVar(&o.runs, "runs", "runs", "keep the runs --config trains in new folders under `DIR`")
	}
	dirs, err := parseInterleaved(fs, args, cmd.name)
	if errors.Is(err, flag.ErrHelp) {
		usage := "RUN [--png FILE] [--embedding-png FILE]"
		if cmd.name == "compare" {
			usage = "RUN… [--config FILE]… [--png FILE]"
		}
		fmt.Fprintf(stdout, "Usage: lenet-tui %s %s\n\n%s%s.\nA RUN is a run folder that train and the terminal UI keep under runs/.\n\nFlags:\n",
			cmd.name, usage, strings.ToUpper(cmd.about[:1]), cmd.about[1:])
		config.Help(stdout, fs)
		return nil
	} else if err != nil {
		return err
	}
	for i, path := range configs {
		fmt.Fprintf(stdout, "--- run %d of %d: %s\n", i+1, len(configs), path)
		dir, err := trainKept(path, o, stdout)
		if err != nil {
			return err
		}
		dirs = append(dirs, dir)
	}
	if len(configs) > 0 {
		fmt.Fprintln(stdout, "---")
	}
	if len(dirs) == 0 {
		return fmt.Errorf("%s: name a run folder (such as runs/%s); see lenet-tui %s --help", cmd.name, "20261130-115314-lenet5-relu", cmd.name)
	}
	return cmd.folders(dirs, o, stdout)
}

// trainKept trains the run the config file at path describes, in plain
// text, keeping it in a new folder under --runs, and returns the folder. A
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
	d, err := load(c)
	if err != nil {
		return "", err
	}
	c = d.c
	t, err := d.trainer(recording(engine.TrainConfig{}), c.Activation, c.LR)
	if err != nil {
		return "", err
	}
	rec := newRecorder(options{runs: o.runs})
	tr, err := rec.record(d, t, c.Activation, c.LR)
	if err != nil {
		return "", err
	}
	err = plain.Train(ctx, stdout, tr, c.Settings, false)
	if werr := rec.wait(); werr != nil {
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
	return rec.dirs[0], nil
}

// readRuns reads the run folders dirs.
func readRuns(dirs []string) ([]*history.Run, error) {
	runs := make([]*history.Run, len(dirs))
	for i, d := range dirs {
		r, err := history.Read(d)
		if err != nil {
			return nil, err
		}
		runs[i] = r
	}
	return runs, nil
}

// plotRun draws one kept run: its loss and accuracy (--png), and the F6
// embedding of its last epoch's end (--embedding-png, or beside --png's
// file).
func plotRun(dirs []string, o options, stdout io.Writer) error {
	if len(dirs) != 1 {
		return fmt.Errorf("plot: %d run folders: want one (lenet-tui compare draws several)", len(dirs))
	}
	if o.png == "" && o.embeddingPNG == "" {
		return errors.New("plot: want --png FILE, the picture to write (--embedding-png FILE for F6's embedding alone)")
	}
	runs, err := readRuns(dirs)
	if err != nil {
		return err
	}
	r := runs[0]
	if o.png != "" {
		title := fmt.Sprintf("%s: %s on %s", filepath.Base(r.Dir), r.Start.Arch, r.Start.Dataset)
		label := fmt.Sprintf("%s, %s, %s lr %g, batch %d", r.Start.Activation, r.Start.Loss+" loss", r.Start.Optimizer, float64(r.Start.LR), r.Start.Batch)
		if err := figure.PNG(o.png, title, runs, []string{label}); err != nil {
			return err
		}
		if _, err := fmt.Fprintf(stdout, "wrote %s\n", o.png); err != nil {
			return err
		}
	}
	return plotEmbedding(r, o, stdout)
}

// plotEmbedding draws the F6 embedding run r kept at its last epoch's end.
// A run without one is a line on stdout when only --png asked for it (the
// curves are what was wanted), an error when --embedding-png did.
func plotEmbedding(r *history.Run, o options, stdout io.Writer) error {
	path := o.embeddingPNG
	if path == "" {
		path = besidePNG(o.png, "-embedding")
	}
	none := func(why string) error {
		msg := fmt.Sprintf("no embedding figure: %s %s", r.Dir, why)
		if o.embeddingPNG != "" {
			return errors.New("plot --embedding-png: " + msg)
		}
		_, err := fmt.Fprintln(stdout, msg)
		return err
	}
	e, err := history.ReadEmbedding(r.Dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return none(fmt.Sprintf("keeps no %s (a run kept by a lenet-tui from before it, or stopped before its first epoch ended)", history.EmbeddingFile))
	case err != nil:
		return err
	}
	p, latest, ok := e.Last()
	switch {
	case !ok && len(e.Projections) == 0:
		return none(fmt.Sprintf("holds no projection in its %s (the run stopped while writing the first)", history.EmbeddingFile))
	case !ok:
		return none(fmt.Sprintf("has no embedding to draw: %s", e.Projections[len(e.Projections)-1].Error))
	}
	if err := drawEmbedding(path, e.Layer, r.Start.Arch, float64(p.Epoch), p.Analysis(), e.LabelBytes()); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	note := ""
	if !latest {
		last := e.Projections[len(e.Projections)-1]
		note = fmt.Sprintf("; epoch %d's could not be drawn: %s", last.Epoch, last.Error)
	}
	_, err = fmt.Fprintf(stdout, "wrote %s (%s of %s test digits after epoch %d%s)\n", path, e.Layer, engine.Thousands(len(e.Labels)), p.Epoch, note)
	return err
}

// besidePNG is the name of a picture drawn beside path: run.png gives
// run-embedding.png for suffix -embedding.
func besidePNG(path, suffix string) string {
	ext := filepath.Ext(path)
	if ext == "" {
		ext = ".png"
	}
	return strings.TrimSuffix(path, filepath.Ext(path)) + suffix + ext
}

// compareRuns prints kept runs side by side, or draws them with --png.
func compareRuns(dirs []string, o options, stdout io.Writer) error {
	runs, err := readRuns(dirs)
	if err != nil {
		return err
	}
	keys := history.Differing(runs)
	labels := make([]string, len(runs))
	for i, r := range runs {
		labels[i] = history.Label(r, keys)
	}
	title := fmt.Sprintf("%d runs of %s on %s", len(runs), shared(runs, "arch"), shared(runs, "dataset"))
	if len(keys) > 0 {
		title += ", differing in " + strings.Join(keys, ", ")
	}
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
	_, err = fmt.Fprintf(stdout, "wrote %s\n", o.png)
	return err
}

// shared is the value of key in every run, or "several" when they differ.
func shared(runs []*history.Run, key string) string {
	v, _ := runs[0].Value(key)
	for _, r := range runs[1:] {
		if w, _ := r.Value(key); w != v {
			return "several " + key + "s"
		}
	}
	return v
}
