package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/plain"
	"github.com/lenet-tui/lenet-tui/tui"
)

func TestRunExitCodes(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"--help"}, 0, "Usage: lenet-tui [flags]", ""},
		{[]string{"help"}, 0, "Commands", ""},
		{[]string{"train", "--help"}, 0, "--init-std X", ""},
		{[]string{"bench", "--help"}, 0, "--seconds S", ""},
		{[]string{"summary", "-h"}, 0, "Usage: lenet-tui summary", ""},
		{[]string{"predict", "--help"}, 0, "Usage: lenet-tui predict --load FILE IMAGE…", ""},
		{[]string{"predict", "--lod", "x"}, 1, "", "predict: unknown flag --lod (did you mean --load?)"},
		{[]string{"--version"}, 0, "lenet-tui ", ""},
		{[]string{"frobnicate"}, 1, "", `lenet-tui: unknown command "frobnicate"`},
		{[]string{"trian"}, 1, "", `(did you mean train?)`},
		{[]string{"train", "--bogus"}, 1, "", "lenet-tui: unknown flag --bogus; see --help"},
		{[]string{"train", "--epocs", "3"}, 1, "", "unknown flag --epocs (did you mean --epochs?)"},
		{[]string{"train", "--lr", "abc"}, 1, "", `lenet-tui: --lr "abc": want a finite number`},
		{[]string{"train", "--activation", "swish"}, 1, "", `lenet-tui: --activation "swish": want one of sigmoid, relu, tanh, scaled-tanh`},
		{[]string{"bench", "--seconds", "0"}, 1, "", "--seconds 0: want a duration of more than 0 and at most 3600 seconds"},
		{[]string{"bench", "--seconds", "-1"}, 1, "", "--seconds -1: want"},
		{[]string{"bench", "--seconds", "NaN"}, 1, "", "--seconds NaN: want"},
		{[]string{"bench", "--seconds", "inf"}, 1, "", "--seconds +Inf: want"},
		{[]string{"train", "--batch", "1000000000"}, 1, "", "--batch 1000000000: want a batch size from 1 to 65536"},
		{[]string{"train", "--init", "truncated-normal", "--init-std", "0"}, 1, "", "--init-std 0: want a standard deviation > 0"},
		{[]string{"train", "--lr", "1e39"}, 1, "", "--lr 1e39: want a finite number (float32"},
		{[]string{"summary", "--arch", "lenet5-modern"}, 0, "total   lenet5-modern", ""},
		// A layers list may leave the output layer's units to the data, as
		// train does; summary and bench count it for MNIST's 10 classes.
		{[]string{"summary", "--arch", "mine", "--layers", "[{kind: dense}]"}, 0, "10×(784+1)=7,850", ""},
		{[]string{"bench", "--arch", "mine", "--layers", "[{kind: dense}]", "--seconds", "0.05"}, 0, "training", ""},
		// A layers list is named by --arch, and not as a built-in.
		{[]string{"summary", "--layers", "[{kind: dense}]"}, 1, "", "--layers: a layers list is a new architecture and wants a name of its own in arch"},
		{[]string{"summary", "--arch", "lenet7"}, 1, "", `--arch "lenet7": want one of lenet5, lenet5-1998, lenet5-modern, seed-code, seed-notes`},
		{[]string{"config", "--arch", "seed-code"}, 0, "loss: naive", ""},
		{[]string{"--epochs", "1", "train"}, 1, "", "lenet-tui: flags go after the command: lenet-tui train --epochs 1\n"},
		{[]string{"--arch", "x", "--layers", "[{name: O, kind: dense, units: 10}]", "summary", "--json"}, 1, "",
			"lenet-tui: flags go after the command: lenet-tui summary --arch x --layers '[{name: O, kind: dense, units: 10}]' --json\n"},
		{[]string{"train", "--data", "a\x1b[31mb\nc"}, 1, "", `a\x1b[31mb\nc`},
		{[]string{"summary", "--arch", "x", "--layers", "[{name: C, kind: conv, maps: 100000000, kernel: 3}, {name: O, kind: dense, units: 10}]"}, 1, "",
			"maps 100000000: want 1 to 4096"},
	} {
		var out, errb bytes.Buffer
		code := Run(tc.args, &out, &errb)
		if code != tc.code || !strings.Contains(out.String(), tc.stdout) || !strings.Contains(errb.String(), tc.stderr) {
			t.Errorf("Run(%q) = %d, stdout %q, stderr %q; want %d, %q, %q", tc.args, code, out.String(), errb.String(), tc.code, tc.stdout, tc.stderr)
		}
		if strings.Count(errb.String(), "\n") > 1 || strings.Count(errb.String(), "lenet-tui:") > 1 {
			t.Errorf("Run(%q) wrote %q to stderr, want at most one line naming the program once", tc.args, errb.String())
		}
	}
}

// TestConfigRoundTrip feeds `lenet-tui config` back with --config: the same
// settings come out.
func TestConfigRoundTrip(t *testing.T) {
	for _, args := range [][]string{
		{"--arch", "seed-code", "--activation", "relu", "--lr", "0.25"},
		{"--layers", "[{name: C1, kind: conv, maps: 4, kernel: 5}, {name: OUT, kind: dense, units: 10}]", "--arch", "mine", "--init-std", "0.5"},
	} {
		var first, second, errb bytes.Buffer
		if code := Run(append([]string{"config"}, args...), &first, &errb); code != 0 {
			t.Fatalf("Run(config %q) = %d, %s", args, code, errb.String())
		}
		path := filepath.Join(t.TempDir(), "resolved.yaml")
		if err := os.WriteFile(path, first.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if code := Run([]string{"config", "--config", path}, &second, &errb); code != 0 {
			t.Fatalf("Run(config --config %s) = %d, %s", path, code, errb.String())
		}
		if first.String() != second.String() {
			t.Errorf("config %q printed\n%s\nbut read back it prints\n%s", args, first.String(), second.String())
		}
	}
}

type fullDisk struct{}

func (fullDisk) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestWriteErrors: every command's output is checked; a write that fails is
// an error and a non-zero exit.
func TestWriteErrors(t *testing.T) {
	for _, args := range [][]string{{"summary"}, {"summary", "--json"}, {"config"}, {"--version"}, {"--help"}, {"bench", "--seconds", "0.05"}, {"bench", "--seconds", "0.05", "--json"}, {"bench", "--seconds", "0.05", "--passes"}, {"bench", "--seconds", "0.05", "--passes", "--json"}} {
		var errb bytes.Buffer
		if code := Run(args, fullDisk{}, &errb); code != 1 || !strings.Contains(errb.String(), "no space left on device") {
			t.Errorf("Run(%q) to a full disk = %d, %q; want 1 and the write error", args, code, errb.String())
		}
	}
}

func TestInterruptedExitCodes(t *testing.T) {
	for sig, want := range map[syscall.Signal]int{syscall.SIGINT: 130, syscall.SIGTERM: 143, syscall.SIGHUP: 129} {
		if got := (interrupted{sig}).ExitCode(); got != want {
			t.Errorf("interrupted{%v}.ExitCode() = %d, want %d", sig, got, want)
		}
	}
}

// TestOneFailureTwoViews gives the plain view and the terminal UI the same
// failure, the one the engine really sends for the 2017 note's program
// with ReLU (σ=1 weights, the naive loss: NaN in batch 1), and checks
// that each says what to do in its own terms: flags in the plain view,
// keys in the terminal UI, where a key can do it.
func TestOneFailureTwoViews(t *testing.T) {
	spec, _ := engine.LookupArch("seed-code")
	s := spec.Defaults
	s.Activation, s.Batch, s.Epochs = engine.ReLU, 50, 1
	net, err := engine.Build(spec, engine.Shape{C: 1, H: 28, W: 28}, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	train, test := dataset.Synthetic(100, 28, 28, 1), dataset.Synthetic(50, 28, 28, 2)
	tr, err := engine.NewTrainer(net, train, test, engine.TrainConfig{Settings: s, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	go tr.Run(context.Background())
	var last engine.Event
	for ev := range tr.Events() {
		last = ev
	}
	f, ok := last.(engine.Failed)
	if !ok {
		t.Fatalf("the note's program with ReLU ended with %#v, want Failed", last)
	}
	for _, v := range []struct {
		name, advice string
		want, not    []string
	}{
		{"plain", plain.Advice(f), []string{"--init he", "--loss stable"}, []string{"(a/A)", "press r"}},
		{"tui", tui.Advice(f), []string{"switch the activation (a/A)", "then press r", "--init he", "--loss stable"}, []string{"--activation", "--lr"}},
	} {
		for _, w := range v.want {
			if !strings.Contains(v.advice, w) {
				t.Errorf("%s view's advice for %v lacks %q: %s", v.name, f, w, v.advice)
			}
		}
		for _, n := range v.not {
			if strings.Contains(v.advice, n) {
				t.Errorf("%s view's advice for %v has %q, the other view's terms: %s", v.name, f, n, v.advice)
			}
		}
	}
}
