package cli

// What lenet-tui says about itself: help, its version, and error lines
// that stay one line.

import (
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"unicode"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/runfolder"
)

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

// revision is the VCS revision a release build stamps into the binary, so
// that --version names it also where Go records none (-buildvcs=false, a
// build from a source archive or outside the git work tree):
//
//	go build -ldflags "-X github.com/lenet-tui/lenet-tui/cli.revision=$(git rev-parse HEAD)" -o lenet-tui .
//
// Empty otherwise: --version then takes build info's vcs.revision.
var revision string

// versionString is the module version and VCS revision from build info:
// "lenet-tui v0.0.0-… (41cb9c3f7358, 2026-11-30T11:17:59Z, modified) go1.26.8";
// the revision stamped with -ldflags comes first, else vcs.revision.
func versionString() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	return versionOf(bi, revision)
}

// versionOf is versionString for the build info bi (nil for none) and the
// revision stamped ("" for none).
func versionOf(bi *debug.BuildInfo, stamped string) string {
	short := func(rev string) string { return rev[:min(12, len(rev))] }
	if bi == nil {
		if stamped != "" {
			return "lenet-tui (" + short(stamped) + ")"
		}
		return "lenet-tui (no build information)"
	}
	var vcs []string
	if stamped != "" {
		vcs = append(vcs, short(stamped))
	}
	for _, kv := range bi.Settings {
		switch {
		case kv.Key == "vcs.revision" && stamped == "":
			vcs = append(vcs, short(kv.Value))
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
// the terminal: runfolder.Shown, for any text.
func escapeControls(s string) string { return runfolder.Shown(s) }
