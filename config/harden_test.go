package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileHardening gives config files a hostile user might write: each is
// an error at its line, quick and small.
func TestFileHardening(t *testing.T) {
	bomb := "arch: x\nlayers:\n  - {name: C, kind: pool, pool: max, kernel: 1, note: &n \"" + strings.Repeat("n", 200) + "\"}\n" +
		strings.Repeat("  - {name: C, kind: pool, pool: max, kernel: 1, note: *n}\n", 15_000) + "  - {name: O, kind: dense, units: 10}\n"
	for _, tc := range []struct {
		name, text, want string
	}{
		{"a second document", "lr: 0.1\n---\nlr: 0.2\n", "line 2: a second YAML document (after ---): a config file holds one"},
		{"an empty second document", "lr: 0.1\n---\n", "line 2: a second YAML document"},
		{"a bad second document", "lr: 0.1\n---\nlr: [\n", "line 3: did not find expected node content"},
		{"an alias", "arch: &a x\nlayers: [{name: *a, kind: dense, units: 10}]\n", "line 2: alias *a: a config file may not use aliases"},
		{"aliases by the thousand", bomb, "line 4: alias *n: a config file may not use aliases"},
		{"an escape in a key", "\"a\\e[31mred\": 1\n", `line 1: unknown key "a\x1b[31mred"`},
		{"an escape in a layer key", "arch: x\nlayers:\n  - {name: C1, kind: conv, \"ma\\e[31mps\": 6, kernel: 3}\n", `line 3: layers: layer 1: unknown key "ma\x1b[31mps"`},
		{"an escape in a layer name", "arch: x\nlayers:\n  - {name: \"C\\e[31m\", kind: conv, maps: 6, kernel: 3}\n", `line 2: layers: architecture "x", layer 1: name "C\x1b[31m": want printable text`},
		{"huge maps", "arch: x\nlayers:\n  - {name: C1, kind: conv, maps: 100000000, kernel: 3}\n  - {name: O, kind: dense, units: 10}\n",
			`line 2: layers: architecture "x", layer 1 (C1): maps 100000000: want 1 to 4096`},
		{"huge padding", "arch: x\nlayers:\n  - {name: C1, kind: conv, maps: 6, kernel: 3, padding: 2147483636}\n  - {name: O, kind: dense, units: 10}\n",
			`line 2: layers: architecture "x", layer 1 (C1): padding "2147483636": want valid, same or a number of pixels from 0 to 2`},
		{"too many parameters", "arch: x\nlayers:\n  - {name: F, kind: dense, units: 60000}\n  - {name: G, kind: dense, units: 60000}\n  - {name: O, kind: dense, units: 10}\n",
			`line 2: layers: architecture "x", layer 2 (G): 60,000 units × (60,000 inputs + 1) = 3,600,060,000 parameters`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.text)
			_, err := parse("--config", path)
			if err == nil || !strings.HasPrefix(err.Error(), located(path, tc.want)) {
				t.Errorf("config %.60q: error %v, want %q", tc.text, err, located(path, tc.want))
			}
			var e *Error
			if !errors.As(err, &e) || e.Implicit {
				t.Errorf("config %.60q: error %#v, want an *Error, not marked implicit", tc.text, err)
			}
		})
	}
	if _, err := parse("--arch", "x", "--layers", "[&a {name: C, kind: conv, maps: 2, kernel: 3}, *a, {name: O, kind: dense, units: 10}]"); err == nil ||
		err.Error() != "--layers: alias *a: write the value out" {
		t.Errorf("--layers with an alias: error %v, want --layers: alias *a: write the value out", err)
	}
}

// TestImplicitConfig runs in a folder whose config.yaml is no run's: the
// error names the file and says --config picks another.
func TestImplicitConfig(t *testing.T) {
	for _, text := range []string{"services:\n  web: {image: nginx}\n", "foo: [\n", "lr: -1\n"} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Chdir(dir)
		var f Flags
		_, err := f.Resolve()
		want := " (config.yaml is read from the working directory when no --config is given; --config FILE picks another)"
		if err == nil || !strings.HasPrefix(err.Error(), "config.yaml:1: ") || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("config.yaml %q: error %v, want it at its line, ending %q", text, err, want)
		}
	}
}

// TestPlace puts an error found after Resolve, about the data, where its
// key was set.
func TestPlace(t *testing.T) {
	path := writeConfig(t, "arch: lenet5\nbatch: 4096\n")
	c, err := parse("--config", path)
	if err != nil {
		t.Fatal(err)
	}
	err = c.Place(c.Settings.CheckTrainSet(1000))
	if want := path + ":2: batch 4096: want at most the 1000 images of the training set"; err == nil || err.Error() != want {
		t.Errorf("Place() = %v, want %s", err, want)
	}
	c, _ = parse("--batch", "4096")
	if err := c.Place(c.Settings.CheckTrainSet(1000)); err == nil || err.Error() != "--batch 4096: want at most the 1000 images of the training set" {
		t.Errorf("Place() = %v, want the flag named", err)
	}
	other := errors.New("other")
	if err := c.Place(other); err != other {
		t.Errorf("Place(other) = %v, want it as it is", err)
	}
}
