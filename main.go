// Command lenet-tui trains LeNet-5 on MNIST on the CPU while you watch.
//
// main only wires: command line → config → dataset → net → trainer → view
// (package tui, or package plain without a terminal), and owns os.Exit. This
// file dispatches a command line; commands.go and folders.go hold what each
// command does, usage.go what the program says about itself.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/lenet-tui/lenet-tui/config"
)

// command is a subcommand: its flags beyond the settings, and what it does.
type command struct {
	name, about string
	json        bool // takes --json
	seconds     bool // takes --seconds
	record      bool // trains: takes --runs and --no-save
	logits      bool // takes --logits and --embedding-png
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
	runs    string // the folder that keeps each run's history
	noSave  bool
	png     string // the picture to write
	logits  string // eval: write the logits of the first 1,000 test images here
	// eval: draw the F6 embedding of the first 1,000 test images here
	embeddingPNG string
}

var commands = []command{
	{name: "", about: "watch it learn in the terminal UI (plain text when stdout is not a terminal)", json: true, record: true, run: watch},
	{name: "train", about: "plain-text training: a line per epoch, then a summary", json: true, record: true, run: train},
	{name: "summary", about: "each layer's shape, parameters and connections, with the arithmetic", json: true, run: summary},
	{name: "bench", about: "training and inference images per second on this machine", json: true, seconds: true, run: bench},
	{name: "eval", about: "a checkpoint's test accuracy, loss and confusion matrix (eval --load FILE [--embedding-png FILE])", json: true, logits: true, run: eval},
	{name: "config", about: "print the resolved settings as YAML, to edit and run with --config", run: printConfig},
	{name: "predict", about: "classify pictures of digits with a checkpoint's net (predict --load FILE IMAGE…)", images: dispatchPredict},
	{name: "plot", about: "draw a kept run's loss and accuracy into a PNG, and F6's embedding beside it (plot RUN --png FILE)", folders: plotRun},
	{name: "compare", about: "kept runs side by side: their curves (in a terminal) and a table, or --png FILE (compare RUN…)", folders: compareRuns},
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run executes one command line and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
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
		var o options
		version := fs.Bool("version", false, "print the version and exit")
		if cmd.json {
			fs.BoolVar(&o.json, "json", false, "machine-readable output: JSON, one record a line")
		}
		if cmd.seconds {
			fs.Float64Var(&o.seconds, "seconds", 3, "measure each of training and inference for `S` seconds")
		}
		if cmd.logits {
			fs.StringVar(&o.logits, "logits", "", "write the logits of the first 1,000 test images to `FILE` as JSON")
			fs.StringVar(&o.embeddingPNG, "embedding-png", "", "draw what F6 (the layer before the output) makes of the first 1,000 test images, by PCA, into `FILE`")
		}
		if cmd.record {
			fs.StringVar(&o.runs, "runs", "runs", "keep each run's settings and history in a new folder under `DIR`")
			fs.BoolVar(&o.noSave, "no-save", false, "keep no run folder")
		}
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
