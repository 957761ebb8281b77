package config

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

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

// parse resolves a command line as a command does.
func parse(args ...string) (Config, error) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	var f Flags
	f.Register(fs)
	if err := f.Parse(fs, args); err != nil {
		return Config{}, err
	}
	if f.Config == "" { // not the repository's config.yaml: an empty one
		dir, err := os.MkdirTemp("", "config-test")
		if err != nil {
			return Config{}, err
		}
		defer os.RemoveAll(dir)
		f.Config = filepath.Join(dir, "empty.yaml")
		if err := os.WriteFile(f.Config, nil, 0o644); err != nil {
			return Config{}, err
		}
	}
	return f.Resolve()
}

// TestTableCoversConfig walks the table: every field of Config (and of its
// Settings) is one setting, every key is a flag and every flag a key.
func TestTableCoversConfig(t *testing.T) {
	var c Config
	fields := map[uintptr]string{}
	addFields(reflect.ValueOf(&c).Elem(), fields)
	for _, s := range table {
		addr := reflect.ValueOf(s.field(&c)).Pointer()
		if _, ok := fields[addr]; !ok {
			t.Errorf("setting %s points at no field of Config, or at one already taken", s.key)
		}
		delete(fields, addr)
	}
	for _, name := range fields {
		t.Errorf("Config.%s is no setting: add it to the table", name)
	}

	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	new(Flags).Register(fs)
	var flags []string
	fs.VisitAll(func(fl *flag.Flag) { flags = append(flags, fl.Name) })
	for _, key := range Keys() {
		if !slices.Contains(flags, FlagName(key)) {
			t.Errorf("key %s has no flag --%s", key, FlagName(key))
		}
	}
	for _, name := range flags {
		if _, ok := lookup(strings.ReplaceAll(name, "-", "_")); !ok && name != "config" {
			t.Errorf("flag --%s is no key", name)
		}
	}
}

func addFields(v reflect.Value, fields map[uintptr]string) {
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue // bookkeeping, such as where each key was set
		}
		if f.Anonymous {
			addFields(v.Field(i), fields)
			continue
		}
		fields[v.Field(i).Addr().Pointer()] = f.Name
	}
}

// TestValuesDocumented checks that each named value a setting accepts is in
// --help and in docs/config.md's config.yaml table, on the key's row.
func TestValuesDocumented(t *testing.T) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	new(Flags).Register(fs)
	var help bytes.Buffer
	Help(&help, fs)
	readme, err := os.ReadFile("../docs/config.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range Keys() {
		row := regexp.MustCompile("(?m)^\\| `" + key + "` .*$").Find(readme)
		if row == nil {
			t.Errorf("docs/config.md: no row for `%s` in the config.yaml table", key)
		}
		line := regexp.MustCompile("(?m)^  --" + FlagName(key) + " .*$").Find(help.Bytes())
		if line == nil {
			t.Errorf("--help: no line for --%s", FlagName(key))
		}
		for _, v := range Values(key) {
			if !bytes.Contains(row, []byte("`"+v+"`")) {
				t.Errorf("docs/config.md: the row of `%s` does not name `%s`: %s", key, v, row)
			}
			if !bytes.Contains(line, []byte(v)) {
				t.Errorf("--help: --%s does not name %s: %s", FlagName(key), v, line)
			}
		}
	}
}

// TestEnumsDecode shows an enum decoding through flag.TextVar and YAML alike.
func TestEnumsDecode(t *testing.T) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var act engine.Activation
	fs.TextVar(&act, "activation", engine.ReLU, "")
	if err := fs.Parse([]string{"--activation", "tanh"}); err != nil || act != engine.Tanh {
		t.Errorf("flag.TextVar: --activation tanh = %q, %v; want tanh", act, err)
	}
	if err := fs.Parse([]string{"--activation", "swish"}); err == nil {
		t.Errorf("flag.TextVar: --activation swish accepted")
	}
	var s struct{ Loss engine.Loss }
	if err := yaml.Unmarshal([]byte("loss: naive\n"), &s); err != nil || s.Loss != engine.LossNaive {
		t.Errorf("yaml: loss: naive = %q, %v; want naive", s.Loss, err)
	}
}

// TestFlagsAndKeysAgree gives each value once as a flag and once as a key:
// both accept and reject the same text.
func TestFlagsAndKeysAgree(t *testing.T) {
	for _, tc := range []struct{ key, text string }{
		{"lr", "0.01"}, {"lr", "1e-3"}, {"lr", "abc"}, {"lr", "-1"}, {"batch", "64"}, {"batch", "2.5"},
		{"epochs", "0"}, {"seed", "18446744073709551616"}, {"seed", "7"}, {"activation", "tanh"},
		{"activation", "swish"}, {"init_std", "0.1"}, {"dataset", "fashion-mnist"}, {"dataset", "cifar"},
		{"schedule", "constant"}, {"input", "unit"}, {"arch", "seed-notes"}, {"arch", "lenet7"},
	} {
		byFlag, flagErr := parse("--"+FlagName(tc.key), tc.text)
		byFile, fileErr := parse("--config", writeConfig(t, tc.key+": "+tc.text+"\n"))
		byFlag.from, byFile.from = nil, nil // where each was set differs, by design
		if (flagErr == nil) != (fileErr == nil) || !reflect.DeepEqual(byFlag, byFile) {
			t.Errorf("%s %s: as a flag %+v, %v; as a key %+v, %v", tc.key, tc.text, byFlag, flagErr, byFile, fileErr)
		}
		var e *Error
		if flagErr != nil && (!errors.As(flagErr, &e) || e.Key != tc.key || e.File != "") {
			t.Errorf("--%s %s: error %#v, want an *Error for the key, from a flag", FlagName(tc.key), tc.text, flagErr)
		}
		if fileErr != nil && (!errors.As(fileErr, &e) || e.Key != tc.key || e.Line != 1) {
			t.Errorf("%s: %s: error %#v, want an *Error for the key on line 1", tc.key, tc.text, fileErr)
		}
	}
}

func TestResolveOrder(t *testing.T) {
	cfg := writeConfig(t, "arch: lenet5\nactivation: sigmoid\nlr: 0.01\nbatch: 8\ndataset: fashion-mnist\n")
	seedCode, _ := engine.LookupArch("seed-code")
	for _, tc := range []struct {
		name string
		args []string
		want func(Config) bool
		why  string
	}{
		{"the file applies", []string{"--config", cfg}, func(c Config) bool {
			return c.Activation == engine.Sigmoid && c.LR == 0.01 && c.Batch == 8 && c.Dataset == "fashion-mnist"
		}, "want sigmoid, lr 0.01, batch 8, fashion-mnist"},
		{"flags override the file", []string{"--config", cfg, "--lr", "0.5", "--activation", "tanh"}, func(c Config) bool {
			return c.LR == 0.5 && c.Activation == engine.Tanh && c.Batch == 8
		}, "want lr 0.5, tanh, batch 8"},
		{"the last flag wins", []string{"--lr", "0.5", "--lr", "0.25"}, func(c Config) bool { return c.LR == 0.25 }, "want lr 0.25"},
		{"another arch starts from its own defaults", []string{"--config", cfg, "--arch", "seed-code"}, func(c Config) bool {
			return c.Settings == seedCode.Defaults && c.Dataset == "fashion-mnist"
		}, "want seed-code's defaults (naive loss, sum, batch 200, sgd 0.001) and the file's dataset"},
		{"another arch, then flags", []string{"--config", cfg, "--arch", "seed-code", "--activation", "relu", "--loss", "stable"}, func(c Config) bool {
			return c.Activation == engine.ReLU && c.Loss == engine.LossStable && c.Reduction == engine.ReduceSum && c.Init == engine.InitTruncNormal
		}, "want relu, stable loss, and otherwise seed-code's settings"},
		{"the file's own arch keeps the file", []string{"--config", cfg, "--arch", "lenet5"}, func(c Config) bool {
			return c.Activation == engine.Sigmoid && c.Batch == 8
		}, "want the file's settings"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parse(tc.args...)
			if err != nil {
				t.Fatalf("parse(%q) = %v", tc.args, err)
			}
			if !tc.want(c) {
				t.Errorf("parse(%q) = %+v; %s", tc.args, c, tc.why)
			}
		})
	}
}

func TestFileErrors(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"unknown key", "arch: lenet5\nlearning_rate: 0.1\n", "line 2: unknown key learning_rate"},
		{"a typo", "epocs: 3\n", "line 1: unknown key epocs (did you mean epochs?)"},
		{"bad activation", "activation: swish\n", `line 1: activation "swish": want one of sigmoid, relu, tanh, scaled-tanh`},
		{"bad type", "batch: many\n", `line 1: batch "many": want a whole number`},
		{"a fraction", "epochs: 1.9\n", `line 1: epochs 1.9: want a whole number`},
		{"bad lr", "lr: -1\n", "line 1: lr -1: want a learning rate > 0"},
		{"infinite lr", "lr: .inf\n", `line 1: lr ".inf": want a finite number`},
		{"lr beyond float32", "lr: 1e39\n", `line 1: lr 1e39: want a finite number (float32`},
		{"lr that vanishes in float32", "lr: 1e-50\n", `line 1: lr 1e-50: want a finite number (float32`},
		{"σ beyond float32", "init_std: 1e300\n", `line 1: init_std 1e300: want a finite number (float32`},
		{"no σ", "init: truncated-normal\ninit_std: 0\n", "line 2: init_std 0: want a standard deviation > 0"},
		{"unknown arch", "arch: lenet7\n", `line 1: arch "lenet7": want one of lenet5, lenet5-1998, lenet5-modern, seed-code, seed-notes`},
		{"bad schedule", "schedule: warm\n", `line 1: schedule "warm": want one of constant, onecycle`},
		{"a list for a value", "lr: [1, 2]\n", "line 1: lr (a list): want a single value"},
		{"set twice", "lr: 1\nlr: 2\n", "line 2: lr: set twice (first on line 1)"},
		{"not a mapping", "- lr\n", "line 1: want settings as key: value lines"},
		{"bad YAML", "lr: [\n", "line 1: did not find expected node content"},
		{"layers that do not fit", "arch: tiny\nlayers:\n  - {name: C1, kind: conv, maps: 8, kernel: 3}\n",
			`line 2: layers: architecture "tiny" ends with 5408 outputs, but the data has 10 classes`},
		{"a layer key mistyped", "arch: tiny\nlayers:\n  - {name: C1, kind: conv, mapz: 8, kernel: 3}\n",
			`line 3: layers: layer 1: unknown key mapz (did you mean maps?)`},
		{"a layer value mistyped", "arch: tiny\nlayers:\n  - {name: C1, kind: conv, maps: many, kernel: 3}\n",
			"line 3: layers: layer 1: line 3: cannot unmarshal !!str `many` into int"},
		{"layers without a name", "layers:\n  - {name: OUT, kind: dense, units: 10}\n",
			`line 1: layers: a layers list is a new architecture and wants a name of its own in arch, not the built-in "lenet5"`},
		{"layers named as a built-in", "arch: lenet5-modern\nlayers:\n  - {name: OUT, kind: dense, units: 10}\n",
			`line 2: layers: a layers list is a new architecture and wants a name of its own in arch, not the built-in "lenet5-modern"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.text)
			_, err := parse("--config", path)
			if err == nil || !strings.HasPrefix(err.Error(), located(path, tc.want)) {
				t.Errorf("config %q: error %v, want %q", tc.text, err, located(path, tc.want))
			}
		})
	}
}

func TestLayersFlag(t *testing.T) {
	c, err := parse("--arch", "mine", "--layers", "[{name: C1, kind: conv, maps: 4, kernel: 5, padding: same}, {name: OUT, kind: dense, units: 10}]")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := c.Spec()
	if err != nil || spec.Name != "mine" || len(spec.Layers) != 2 || spec.Layers[0].Padding != "same" {
		t.Errorf("Spec() = %+v, %v; want mine with two layers, C1 padded same", spec, err)
	}
	// config.yaml names lenet5; a list given as a flag needs --arch too.
	if _, err := parse("--layers", "[{name: OUT, kind: dense, units: 10}]"); err == nil || !strings.Contains(err.Error(), "--layers: a layers list is a new architecture and wants a name of its own in arch") {
		t.Errorf("--layers without --arch: error %v, want a layers list's own name asked for", err)
	}
	if _, err := parse("--layers", "{name: C1}"); err == nil || !strings.Contains(err.Error(), "--layers: want a list of layers") {
		t.Errorf("--layers {name: C1}: error %v, want a list of layers", err)
	}
}

func TestNearest(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"epocs", "epochs"}, {"lr", "lr"}, {"activaton", "activation"}, {"initstd", "init-std"}, {"xyzzy", ""}, {"trian", "train"},
	} {
		if got := Nearest(tc.name, []string{"epochs", "lr", "activation", "init-std", "seed", "train"}); got != tc.want {
			t.Errorf("Nearest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// located is the start of the error for a file at path whose table entry
// reads "line N: rest": path:N: rest (or path: rest without a line).
func located(path, want string) string {
	var n int
	if k, _ := fmt.Sscanf(want, "line %d:", &n); k == 1 {
		return fmt.Sprintf("%s:%d:%s", path, n, strings.SplitN(want, ":", 2)[1])
	}
	return path + ": " + want
}
