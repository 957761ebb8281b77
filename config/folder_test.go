package config

import (
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// TestFolderSettings: held_out is 1/7 unless set and must lie strictly
// between 0 and 1; keep_size is a switch, alone or with a value, as a flag
// and as a key; both survive printing and reading back.
func TestFolderSettings(t *testing.T) {
	c, err := parse()
	if err != nil || c.HeldOut != dataset.DefaultHeldOut || c.KeepSize {
		t.Fatalf("defaults: held_out %v, keep_size %t (%v); want 1/7 and false", c.HeldOut, c.KeepSize, err)
	}
	for _, args := range [][]string{{"--keep-size"}, {"--keep-size=true"}, {"--config", writeConfig(t, "keep_size: true\n")}} {
		if c, err := parse(args...); err != nil || !c.KeepSize {
			t.Errorf("parse(%q): keep_size %t, %v; want true", args, c.KeepSize, err)
		}
	}
	if c, err := parse("--held-out", "0.25", "--arch", "seed-code"); err != nil || c.HeldOut != 0.25 {
		t.Errorf("--held-out 0.25 with another architecture: %v, %v; want 0.25 kept", c.HeldOut, err)
	}
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"--held-out", "0"}, "--held-out 0: want a share between 0 and 1, such as 0.2 (both excluded)"},
		{[]string{"--held-out", "1"}, "--held-out 1: want a share between 0 and 1"},
		{[]string{"--config", writeConfig(t, "held_out: -0.5\n")}, "config.yaml:1: held_out -0.5: want a share between 0 and 1"},
		{[]string{"--keep-size=maybe"}, `--keep-size "maybe": want true or false`},
	} {
		_, err := parse(bad.args...)
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("parse(%q) = %v, want an error with %q", bad.args, err, bad.want)
		}
	}
	c, _ = parse("--keep-size", "--held-out", "0.3")
	text, err := c.YAML()
	if err != nil {
		t.Fatal(err)
	}
	back, err := parse("--config", writeConfig(t, string(text)))
	if err != nil || !back.KeepSize || back.HeldOut != 0.3 {
		t.Errorf("printed and read back: keep_size %t, held_out %v (%v); want true, 0.3", back.KeepSize, back.HeldOut, err)
	}
}

// TestLayersOutputFollowsData: a layers list's last dense layer is the
// output layer, whose units are the data's classes whatever it says: a
// list written for 3 classes resolves before the data is read.
func TestLayersOutputFollowsData(t *testing.T) {
	layers := "[{name: C1, kind: conv, maps: 4, kernel: 5}, {name: F, kind: dense, units: 3}]"
	if _, err := parse("--arch", "mine", "--layers", layers); err != nil {
		t.Errorf("a layers list ending with 3 units = %v, want it to resolve", err)
	}
}
