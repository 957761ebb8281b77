package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/figure"
	"github.com/lenet-tui/lenet-tui/internal/outfile"
	"github.com/lenet-tui/lenet-tui/runfolder"
)

// readRuns reads the run folders dirs.
func readRuns(dirs []string) ([]*runfolder.Run, error) {
	runs := make([]*runfolder.Run, len(dirs))
	for i, d := range dirs {
		r, err := runfolder.Read(d)
		if err != nil {
			return nil, err
		}
		runs[i] = r
	}
	return runs, nil
}

// plotRun draws one run folder: its loss and accuracy (--png), and the F6
// embedding of its last epoch's end (--embedding-png, or beside --png's
// file).
func plotRun(dirs []string, o options, stdout io.Writer) error {
	if len(dirs) != 1 {
		return fmt.Errorf("plot: %d run folders: want one (lenet-tui compare draws several)", len(dirs))
	}
	if o.png == "" && o.embeddingPNG == "" {
		o.png = filepath.Join(dirs[0], "plot.png") // and plot-embedding.png beside it
	}
	if err := checkTargets(o.png, o.embeddingPNG, besidePNG(o.png, "-embedding")); err != nil {
		return err
	}
	runs, err := readRuns(dirs)
	if err != nil {
		return err
	}
	r := runs[0]
	if o.png != "" {
		title := runfolder.Shown(fmt.Sprintf("%s: %s on %s", filepath.Base(r.Dir), r.Start.Arch, r.Start.Dataset))
		label := runfolder.Shown(fmt.Sprintf("%s, %s, %s lr %g, batch %d", r.Start.Activation, r.Start.Loss+" loss", r.Start.Optimizer, float64(r.Start.LR), r.Start.Batch))
		if err := figure.PNG(o.png, title, runs, []string{label}); err != nil {
			return err
		}
		if _, err := fmt.Fprintf(stdout, "wrote %s\n", escapeControls(o.png)); err != nil {
			return err
		}
	}
	return plotEmbedding(r, o, stdout)
}

// plotEmbedding draws the F6 embedding run r kept at its last epoch's end.
// A run without one is a line on stdout when only --png asked for it (the
// curves are what was wanted), an error when --embedding-png did.
func plotEmbedding(r *runfolder.Run, o options, stdout io.Writer) error {
	path := o.embeddingPNG
	if path == "" {
		path = besidePNG(o.png, "-embedding")
	}
	none := func(why string) error {
		msg := escapeControls(fmt.Sprintf("no embedding figure: %s %s", r.Dir, why))
		if o.embeddingPNG != "" {
			return errors.New("plot --embedding-png: " + msg)
		}
		_, err := fmt.Fprintln(stdout, msg)
		return err
	}
	e, err := runfolder.ReadEmbedding(r.Dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return none(fmt.Sprintf("keeps no %s (a run kept by a lenet-tui from before it, or stopped before its first epoch ended)", runfolder.EmbeddingFile))
	case err != nil:
		return err
	}
	p, latest, ok := e.Last()
	switch {
	case !ok && len(e.Projections) == 0:
		return none(fmt.Sprintf("holds no projection in its %s (the run stopped while writing the first)", runfolder.EmbeddingFile))
	case !ok:
		return none(fmt.Sprintf("has no embedding to draw: %s", e.Projections[len(e.Projections)-1].Error))
	}
	if err := drawEmbedding(path, runfolder.Shown(e.Layer), runfolder.Shown(r.Start.Arch), float64(p.Epoch), p.Analysis(), e.LabelBytes()); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	note := ""
	if !latest {
		last := e.Projections[len(e.Projections)-1]
		note = fmt.Sprintf("; epoch %d's could not be drawn: %s", last.Epoch, last.Error)
	}
	_, err = fmt.Fprintf(stdout, "%s\n", escapeControls(fmt.Sprintf("wrote %s (%s of %s test digits after epoch %d%s)", path, e.Layer, engine.Thousands(len(e.Labels)), p.Epoch, note)))
	return err
}

// checkTargets refuses at once, before any reading or drawing, a picture's
// path where something other than a regular file stands (a named pipe, a
// device) or whose folder takes no files: png (--png), embeddingPNG
// (--embedding-png) and, when only png is named, beside, the embedding's
// picture drawn beside it.
func checkTargets(png, embeddingPNG, beside string) error {
	if png != "" {
		if err := outfile.Check(png); err != nil {
			return err
		}
	}
	if embeddingPNG == "" && png != "" {
		embeddingPNG = beside
	}
	if embeddingPNG != "" {
		return outfile.Check(embeddingPNG)
	}
	return nil
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
