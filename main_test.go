package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/engine"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestParseOptions(t *testing.T) {
	cfg := writeConfig(t, "arch: lenet5\nactivation: sigmoid\nlr: 0.01\nbatch: 8\ndataset: fashion-mnist\n")
	for _, tc := range []struct {
		name string
		args []string
		want func(options) string // "" when right
	}{
		{"file applies", []string{"--config", cfg}, func(o options) string {
			if o.settings.Activation != "sigmoid" || o.settings.LR != 0.01 || o.settings.Batch != 8 || o.dataset != "fashion-mnist" {
				return "want sigmoid, lr 0.01, batch 8, fashion-mnist"
			}
			return ""
		}},
		{"flags override the file", []string{"--config", cfg, "--lr", "0.5", "--activation", "tanh"}, func(o options) string {
			if o.settings.LR != 0.5 || o.settings.Activation != "tanh" || o.settings.Batch != 8 {
				return "want lr 0.5, tanh, batch 8"
			}
			return ""
		}},
		{"another arch starts from its own defaults", []string{"--config", cfg, "--arch", "seed-code"}, func(o options) string {
			want := engine.Arches["seed-code"].Defaults
			if o.settings != want || o.dataset != "fashion-mnist" {
				return "want seed-code's defaults (naive loss, sum, batch 200, sgd 0.001) and the file's dataset"
			}
			return ""
		}},
		{"another arch, then flags", []string{"--config", cfg, "--arch", "seed-code", "--activation", "relu", "--loss", "stable"}, func(o options) string {
			if o.settings.Activation != "relu" || o.settings.Loss != "stable" || o.settings.Reduction != "sum" || o.settings.Init != "truncated-normal" {
				return "want relu, stable loss, and otherwise seed-code's settings"
			}
			return ""
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseOptions("train", tc.args, nil)
			if err != nil {
				t.Fatalf("parseOptions(%q) = %v", tc.args, err)
			}
			if msg := tc.want(o); msg != "" {
				t.Errorf("parseOptions(%q) = %+v, %s; %s", tc.args, o.settings, o.dataset, msg)
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"unknown key", "arch: lenet5\nlearning_rate: 0.1\n", "line 2: unknown key learning_rate"},
		{"bad activation", "activation: swish\n", `line 1: activation: unknown activation "swish"`},
		{"bad type", "batch: many\n", "line 1: cannot unmarshal !!str `many` into int"},
		{"bad lr", "lr: -1\n", "line 1: lr: learning rate must be > 0, got -1"},
		{"unknown arch", "arch: lenet7\n", `line 1: arch: unknown architecture "lenet7"`},
		{"bad schedule", "schedule: warm\n", `line 1: schedule: unknown schedule "warm"`},
		{"layers that do not fit", "arch: tiny\nlayers:\n  - {name: C1, kind: conv, maps: 8, kernel: 3}\n",
			`line 2: layers: architecture "tiny" ends with 5408 outputs, but the data has 10 classes`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.text)
			_, err := parseOptions("train", []string{"--config", path}, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), path) {
				t.Errorf("parseOptions with %q = %v, want an error starting with the file and containing %q", tc.text, err, tc.want)
			}
		})
	}
}

func TestRunExitCodes(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"--help"}, 0, "Usage:", ""},
		{[]string{"frobnicate"}, 1, "", `lenet-tui: unknown command "frobnicate"`},
		{[]string{"train", "--bogus"}, 1, "", "lenet-tui: train: flag provided but not defined: -bogus"},
		{[]string{"summary", "--arch", "lenet5-modern"}, 0, "total   lenet5-modern", ""},
	} {
		var out, errb bytes.Buffer
		code := run(tc.args, &out, &errb)
		if code != tc.code || !strings.Contains(out.String(), tc.stdout) || !strings.Contains(errb.String(), tc.stderr) {
			t.Errorf("run(%q) = %d, stdout %q, stderr %q; want %d, %q, %q", tc.args, code, out.String(), errb.String(), tc.code, tc.stdout, tc.stderr)
		}
		if strings.Count(errb.String(), "\n") > 1 {
			t.Errorf("run(%q) wrote %d lines to stderr, want at most one", tc.args, strings.Count(errb.String(), "\n"))
		}
	}
}
