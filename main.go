// Command lenet-tui trains LeNet-5 on MNIST on the CPU while you watch.
//
// main only wires: command line → config → dataset → net → trainer → view
// (package tui, or package plain without a terminal), and owns os.Exit. This
// file dispatches a command line; commands.go holds what each command does.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/lenet-tui/lenet-tui/config"
)

// command is a subcommand: its flags beyond the settings, and what it does.
type command struct {
	name, about string
	json        bool // takes --json
	seconds     bool // takes --seconds
	record      bool // trains: takes --runs and --no-save
	logits      bool // takes --logits
	run         func(c config.Config, o options, stdout io.Writer) error
	// folders, instead of run, reads the run folders named on the command
	// line; such a command takes --png and no settings.
	folders func(dirs []string, o options, stdout io.Writer) error
}

// options are a command's own flags.
type options struct {
	json    bool
	seconds float64
	runs    string // the folder that keeps each run's history
	noSave  bool
	png     string // the picture to write
	logits  string // eval: write the logits of the first 1,000 test images here
}

var commands = []command{
	{name: "", about: "watch it learn in the terminal UI (plain text when stdout is not a terminal)", json: true, record: true, run: watch},
	{name: "train", about: "plain-text training: a line per epoch, then a summary", json: true, record: true, run: train},
	{name: "summary", about: "each layer's shape, parameters and connections, with the arithmetic", json: true, run: summary},
	{name: "bench", about: "training and inference images per second on this machine", json: true, seconds: true, run: bench},
	{name: "eval", about: "a checkpoint's test accuracy and loss (eval --load FILE)", json: true, logits: true, run: eval},
	{name: "config", about: "print the resolved settings as YAML, to edit and run with --config", run: printConfig},
	{name: "plot", about: "draw a kept run's loss and accuracy into a PNG (plot RUN --png FILE)", folders: plotRun},
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
	err := dispatch(name, args, stdout)
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

func dispatch(name string, args []string, stdout io.Writer) error {
	var names []string
	for _, cmd := range commands {
		if cmd.name != name {
			names = append(names, cmd.name)
			continue
		}
		if cmd.folders != nil {
			return dispatchFolders(cmd, args, stdout)
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

// help prints a command's usage and its flags, generated from the settings
// table.
func help(w io.Writer, cmd command, fs *flag.FlagSet) error {
	fmt.Fprintf(w, "Usage: %s [flags]\n\n%s%s.\n", strings.TrimSpace(fs.Name()), strings.ToUpper(cmd.about[:1]), cmd.about[1:])
	if cmd.name == "" {
		fmt.Fprintln(w, "\nCommands (lenet-tui COMMAND --help for each):")
		for _, c := range commands[1:] {
			fmt.Fprintf(w, "  %-8s  %s\n", c.name, c.about)
		}
	}
	fmt.Fprintln(w, "\nFlags (each setting is also a config.yaml key: --init-std is init_std):")
	config.Help(w, fs)
	_, err := fmt.Fprintln(w, "\nA flag that picks another architecture than config.yaml names starts from that\narchitecture's own defaults: --arch seed-code runs with all of the 2017 note's settings.")
	return err
}

// versionString is the module version and VCS revision from build info:
// "lenet-tui v0.0.0-… (41cb9c3f7358, 2026-11-30T11:17:59Z, modified) go1.26.8".
func versionString() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "lenet-tui (no build information)"
	}
	var vcs []string
	for _, kv := range bi.Settings {
		switch {
		case kv.Key == "vcs.revision":
			vcs = append(vcs, kv.Value[:min(12, len(kv.Value))])
		case kv.Key == "vcs.time":
			vcs = append(vcs, kv.Value)
		case kv.Key == "vcs.modified" && kv.Value == "true":
			vcs = append(vcs, "modified")
		}
	}
	s := "lenet-tui " + bi.Main.Version
	if len(vcs) > 0 {
		s += " (" + strings.Join(vcs, ", ") + ")"
	}
	return s + " " + bi.GoVersion
}

// shellWords joins args as a shell would read them back, quoting those that
// need it.
func shellWords(args []string) string {
	words := make([]string, len(args))
	for i, a := range args {
		words[i] = a
		if a == "" || strings.ContainsFunc(a, func(r rune) bool {
			return !strings.ContainsRune("+-./:=@_,", r) && !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}) {
			words[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(words, " ")
}

// escapeControls writes the control characters of s (escape codes, line
// breaks) as Go escapes, so an error message is one line and cannot drive
// the terminal.
func escapeControls(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			b.WriteString(strings.Trim(strconv.QuoteRune(r), "'"))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
