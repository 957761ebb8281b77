package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Flags are the settings given on a command line, in the order given, and
// the config file named there.
type Flags struct {
	Config  string // --config; "" means ./config.yaml when it exists
	entries []entry
	err     error // the first bad value, as an *Error
}

// Register defines --config and a flag for every setting on fs.
func (f *Flags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.Config, "config", "", "run settings from `FILE` (default ./config.yaml when present); flags override it")
	for _, s := range table {
		fs.Var(settingFlag{f, s}, FlagName(s.key), usage(s))
	}
}

// settingFlag is a setting as a flag.Value: Set checks the value at once
// and records it for Resolve.
type settingFlag struct {
	f *Flags
	s setting
}

func (v settingFlag) String() string { return "" }

// IsBoolFlag lets a true-or-false setting stand alone: --keep-size is
// --keep-size=true.
func (v settingFlag) IsBoolFlag() bool {
	_, ok := v.s.field(&Config{}).(*bool)
	return ok
}

func (v settingFlag) Set(text string) error {
	e := entry{key: v.s.key, text: text}
	var scratch Config
	if err := e.apply(&scratch); err != nil {
		if v.f.err == nil {
			v.f.err = err
		}
		return err
	}
	v.f.entries = append(v.f.entries, e)
	return nil
}

// usage is a setting's help line: what it is, what it accepts, its default.
func usage(s setting) string {
	u := s.help
	if vs := Values(s.key); vs != nil {
		u += ": " + strings.Join(vs, ", ")
	}
	return u
}

// Parse parses args into fs, which holds f's flags and the command's own.
// -h and --help give flag.ErrHelp; a flag fs does not define is an *Error
// naming the nearest one; a bad value is the *Error about it.
func (f *Flags) Parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := checkNames(fs, args); err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		if f.err != nil {
			return f.err
		}
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &Error{Err: err} // such as a flag at the end with no value
	}
	if fs.NArg() > 0 {
		return &Error{Err: fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

// checkNames finds the first flag in args that fs does not define, before
// the flag package reports it without a suggestion.
func checkNames(fs *flag.FlagSet, args []string) error {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || len(a) < 2 || a[0] != '-' {
			return nil // the flags end here
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "h" || name == "help" {
			return flag.ErrHelp
		}
		fl := fs.Lookup(name)
		if fl == nil {
			var names []string
			fs.VisitAll(func(fl *flag.Flag) { names = append(names, fl.Name) })
			return &Error{Key: "--" + name, Unknown: true, Want: Nearest(name, names)}
		}
		if b, ok := fl.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(ok && b.IsBoolFlag()) {
			i++ // its value
		}
	}
	return nil
}

// Help writes the flags of fs, one a line: the command's own, then the
// settings in table order.
func Help(w io.Writer, fs *flag.FlagSet) {
	type row struct{ left, right string }
	var own, settings []row
	fs.VisitAll(func(fl *flag.Flag) {
		if _, ok := lookup(strings.ReplaceAll(fl.Name, "-", "_")); !ok {
			arg, use := flag.UnquoteUsage(fl)
			own = append(own, row{strings.TrimSpace("--" + fl.Name + " " + arg), use})
		}
	})
	for _, s := range table {
		if fl := fs.Lookup(FlagName(s.key)); fl != nil {
			settings = append(settings, row{strings.TrimSpace("--" + fl.Name + " " + s.arg), fl.Usage})
		}
	}
	width := 0
	for _, r := range append(own, settings...) {
		width = max(width, len(r.left))
	}
	for _, r := range append(own, settings...) {
		fmt.Fprintf(w, "  %-*s  %s\n", width, r.left, r.right)
	}
}
