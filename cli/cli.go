package cli

// Run, the dispatch of a command line, the command table and each
// command's flags.

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/tui"
)

// command is a subcommand: its flags beyond the settings, and what it does.
type command struct {
	name, about string
	json        bool // takes --json
	seconds     bool // takes --seconds
	passes      bool // takes --passes
	record      bool // trains: takes --runs and --no-save
	logits      bool // takes --logits and --embedding-png
	screen      bool // the terminal UI: takes --pace
	run         func(c config.Config, o options, stdout io.Writer) error
	// folders, instead of run, reads the run folders named on the command
	// line; such a command takes --png and no settings.
	folders func(dirs []string, o options, stdout io.Writer) error
	// images, instead of run, parses its own command line of flags and
	// files; it may write a line per bad file to stderr.
	images func(cmd command, args []string, stdout, stderr io.Writer) error
}

// options are a command's own flags.
type options struct {
	json    bool
	seconds float64
	passes  bool   // bench: time each layer's passes instead
	runs    string // where each run gets its run folder (--runs)
	noSave  bool
	png     string // the picture to write
	logits  string // eval: write the logits of the first 1,000 test images here
	// eval: draw the F6 embedding of the first 1,000 test images here
	embeddingPNG string
	pace         tui.Pace  // the terminal UI: how fast the run is let go at first
	padFolder    string    // the terminal UI: the image folder the drawing pad adds to
	stderr       io.Writer // the command's stderr: how far loading an image folder has come; a resume without its optimiser's state
}

var commands = []command{
	{name: "", about: "watch it learn in the terminal UI (plain text when stdout is not a terminal)", json: true, record: true, screen: true, run: watch},
	{name: "tour", about: "a guided tour of LeNet-5 and the 2017 note's story in the terminal UI, a step at a time (→ next, ← back, esc leaves it, keeping the run)", record: true, screen: true, run: tour},
	{name: "train", about: "plain-text training: a line per epoch, then a summary", json: true, record: true, run: train},
	{name: "summary", about: "each layer's shape, parameters and connections, with the arithmetic", json: true, run: summary},
	{name: "bench", about: "training and inference images per second on this machine", json: true, seconds: true, passes: true, run: bench},
	{name: "eval", about: "a checkpoint's test accuracy, loss and confusion matrix (eval --load FILE [--embedding-png FILE])", json: true, logits: true, run: eval},
	{name: "config", about: "print the resolved settings as YAML, to edit and run with --config", run: printConfig},
	{name: "explain", about: "one test image's softmax and loss, and one weight's gradient by the chain rule beside a finite difference and the optimiser's step (explain --load FILE --image N [--weight c1.weight[0,0,2,2]])", images: dispatchExplain},
	{name: "predict", about: "classify pictures of digits with a checkpoint's net (predict --load FILE IMAGE…)", images: dispatchPredict},
	{name: "plot", about: "draw a run folder's loss and accuracy into a PNG, and F6's embedding beside it (plot RUN [--png FILE]; by default RUN/plot.png)", folders: plotRun},
	{name: "compare", about: "run folders side by side: their curves (in a terminal) and a table, or --png FILE (compare RUN…)", folders: compareRuns},
}

// Run executes one command line (the program's arguments, without its
// name) and returns the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	defer startProfile()()
	name := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if name == "help" {
		name, args = "", []string{"--help"}
	}
	err := dispatch(name, args, stdout, stderr)
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "lenet-tui: %s\n", escapeControls(err.Error()))
	var ec interface{ ExitCode() int } // an interruption: 128 + the signal
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	return 1
}

// register adds to fs the flags of cmd's own, beyond the settings, into o.
func (cmd command) register(fs *flag.FlagSet, o *options) {
	if cmd.json {
		fs.BoolVar(&o.json, "json", false, "machine-readable output: JSON, one record a line")
	}
	if cmd.seconds {
		fs.Float64Var(&o.seconds, "seconds", 3, "measure each of training and inference for `S` seconds")
	}
	if cmd.passes {
		fs.BoolVar(&o.passes, "passes", false, "instead, time each layer's forward and backward pass, the update and the rest of a step on one worker: FLOP, µs and GFLOP/s per image, share of the step, and the step against the FMA bound")
	}
	if cmd.logits {
		fs.StringVar(&o.logits, "logits", "", "write the logits of the first 1,000 test images to `FILE` as JSON")
		fs.StringVar(&o.embeddingPNG, "embedding-png", "", "draw what F6 (the layer before the output) makes of the first 1,000 test images, by PCA, into `FILE`")
	}
	if cmd.screen {
		fs.Func("pace", "let the run go at `PACE` in the terminal UI: full, slow (the whole run in about a minute) or batch (paused; . trains one batch); w changes it", func(s string) error {
			p, err := parsePace(s)
			o.pace = p
			return err
		})
		fs.StringVar(&o.padFolder, "pad-folder", "drawings", "the image folder the drawing pad (d) adds a drawing to when you press enter and name its class: `DIR`/train/<class>/pad-<time>.png, for train --data DIR; empty for none")
	}
	if cmd.record {
		fs.StringVar(&o.runs, "runs", "runs", "keep each run's settings and history in a new run folder under `DIR`")
		fs.BoolVar(&o.noSave, "no-save", false, "keep no run folder")
	}
}

func dispatch(name string, args []string, stdout, stderr io.Writer) error {
	var names []string
	for _, cmd := range commands {
		if cmd.name != name {
			names = append(names, cmd.name)
			continue
		}
		if cmd.folders != nil {
			return dispatchFolders(cmd, args, stdout)
		}
		if cmd.images != nil {
			return cmd.images(cmd, args, stdout, stderr)
		}
		fs := flag.NewFlagSet("lenet-tui "+name, flag.ContinueOnError)
		o := options{stderr: stderr}
		version := fs.Bool("version", false, "print the version and exit")
		cmd.register(fs, &o)
		var flags config.Flags
		flags.Register(fs)
		switch err := flags.Parse(fs, args); {
		case errors.Is(err, flag.ErrHelp):
			return help(stdout, cmd, fs)
		case err != nil && cmd.name == "" && fs.NArg() > 0 && slices.ContainsFunc(commands, func(c command) bool { return c.name == fs.Arg(0) }):
			flagsFirst := args[:len(args)-fs.NArg()]
			return fmt.Errorf("flags go after the command: lenet-tui %s %s", fs.Arg(0), shellWords(append(flagsFirst, fs.Args()[1:]...)))
		case err != nil:
			return err
		case *version:
			_, err := fmt.Fprintln(stdout, versionString())
			return err
		}
		c, err := flags.Resolve()
		if err != nil {
			return err
		}
		return cmd.run(c, o, stdout)
	}
	msg := fmt.Sprintf("unknown command %q", name)
	if n := config.Nearest(name, names); n != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", n)
	}
	return errors.New(msg + "; want " + strings.Join(names[1:], ", ") + ", or none for the terminal UI; see lenet-tui --help")
}

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
		fs.StringVar(&o.runs, "runs", "runs", "keep the runs --config trains in new run folders under `DIR`")
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

// parseInterleaved parses a command's flags where they may come before,
// between or after its other arguments (files, folders), and returns those
// arguments in order. An unknown flag is one line naming the command and
// the nearest flag it has; --help is flag.ErrHelp, for the caller to print
// its usage.
func parseInterleaved(fs *flag.FlagSet, args []string, cmd string) ([]string, error) {
	var rest []string
	for {
		err := fs.Parse(args)
		switch {
		case errors.Is(err, flag.ErrHelp):
			return nil, err
		case err != nil:
			msg := err.Error()
			if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
				var names []string
				fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
				msg = "unknown flag --" + name
				if n := config.Nearest(name, names); n != "" {
					msg += " (did you mean --" + n + "?)"
				}
			}
			return nil, fmt.Errorf("%s: %s; see lenet-tui %s --help", cmd, msg, cmd)
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
