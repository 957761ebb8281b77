package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/figure"
	"github.com/lenet-tui/lenet-tui/history"
	"github.com/lenet-tui/lenet-tui/plain"
)

// dispatchFolders parses the command line of a command that reads run
// folders: folders and --png in any order.
func dispatchFolders(cmd command, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("lenet-tui "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o options
	fs.StringVar(&o.png, "png", "", "draw the figure into the PNG file `FILE`")
	var dirs []string
	for {
		err := fs.Parse(args)
		switch {
		case errors.Is(err, flag.ErrHelp):
			fmt.Fprintf(stdout, "Usage: lenet-tui %s RUN%s [--png FILE]\n\n%s%s.\nA RUN is a run folder that train and the terminal UI keep under runs/.\n\nFlags:\n",
				cmd.name, map[bool]string{true: "…"}[cmd.name == "compare"], strings.ToUpper(cmd.about[:1]), cmd.about[1:])
			config.Help(stdout, fs)
			return nil
		case err != nil:
			msg := err.Error()
			if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
				msg = "unknown flag --" + name
				if n := config.Nearest(name, []string{"png"}); n != "" {
					msg += " (did you mean --" + n + "?)"
				}
			}
			return fmt.Errorf("%s: %s; see lenet-tui %s --help", cmd.name, msg, cmd.name)
		}
		if fs.NArg() == 0 {
			break
		}
		dirs = append(dirs, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(dirs) == 0 {
		return fmt.Errorf("%s: name a run folder (such as runs/%s); see lenet-tui %s --help", cmd.name, "20261130-115314-lenet5-relu", cmd.name)
	}
	return cmd.folders(dirs, o, stdout)
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

// plotRun draws one kept run.
func plotRun(dirs []string, o options, stdout io.Writer) error {
	if len(dirs) != 1 {
		return fmt.Errorf("plot: %d run folders: want one (lenet-tui compare draws several)", len(dirs))
	}
	if o.png == "" {
		return errors.New("plot: want --png FILE, the picture to write")
	}
	runs, err := readRuns(dirs)
	if err != nil {
		return err
	}
	r := runs[0]
	title := fmt.Sprintf("%s: %s on %s", filepath.Base(r.Dir), r.Start.Arch, r.Start.Dataset)
	label := fmt.Sprintf("%s, %s, %s lr %g, batch %d", r.Start.Activation, r.Start.Loss+" loss", r.Start.Optimizer, float64(r.Start.LR), r.Start.Batch)
	if err := figure.PNG(o.png, title, runs, []string{label}); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "wrote %s\n", o.png)
	return err
}

// compareRuns prints kept runs side by side, or draws them with --png.
func compareRuns(dirs []string, o options, stdout io.Writer) error {
	runs, err := readRuns(dirs)
	if err != nil {
		return err
	}
	keys := history.Differing(runs)
	if o.png == "" {
		return plain.Compare(stdout, runs, keys)
	}
	labels := make([]string, len(runs))
	for i, r := range runs {
		labels[i] = history.Label(r, keys)
	}
	title := fmt.Sprintf("%d runs of %s on %s", len(runs), shared(runs, "arch"), shared(runs, "dataset"))
	if len(keys) > 0 {
		title += ", differing in " + strings.Join(keys, ", ")
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
