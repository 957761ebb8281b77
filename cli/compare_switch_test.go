package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
)

// switchedKeptRun trains lenet5 for two epochs of 10 batches on small
// synthetic data through the pipeline, as the terminal UI does, started
// with act and switched to the other activation after step batches, and
// returns the run folder it kept under parent.
func switchedKeptRun(t *testing.T, parent string, act engine.Activation, step int) string {
	t.Helper()
	spec, err := engine.LookupArch("lenet5")
	if err != nil {
		t.Fatal(err)
	}
	c := config.Defaults(spec)
	c.Activation, c.Epochs, c.Batch = act, 2, 32
	d := &data{c: c, spec: spec, train: dataset.Synthetic(320, 28, 28, 1), test: dataset.Synthetic(64, 28, 28, 2)}
	p := d.pipeline(engine.TrainConfig{Workers: 1}, parent, false)
	tr, _, err := p.start(act, c.LR, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Paused, the trainer trains the batches Advance asks for and shows each.
	tr.Send(engine.Pause{})
	tr.Send(engine.Advance{Batches: step})
	_, werr := p.show(func() error {
		go tr.Run(t.Context())
		for ev := range tr.Events() {
			if pr, ok := ev.(engine.Progress); ok && pr.Step == step {
				tr.Send(engine.SetActivation{Name: map[engine.Activation]engine.Activation{"relu": "sigmoid", "sigmoid": "relu"}[act]})
				tr.Send(engine.Resume{})
			}
		}
		return nil
	})
	if werr != nil {
		t.Fatal(werr)
	}
	return p.dir()
}

// TestCompareNamesSwitches: compare's table names a switched run by what
// it became and when (the labels of its legends are runfolder.Label's),
// and --png draws the switched runs.
func TestCompareNamesSwitches(t *testing.T) {
	tmp := t.TempDir()
	sig := switchedKeptRun(t, tmp, "sigmoid", 5)
	relu := switchedKeptRun(t, tmp, "relu", 15)
	var out, errb bytes.Buffer
	if code := Run([]string{"compare", sig, relu}, &out, &errb); code != 0 {
		t.Fatalf("compare = %d, stderr %q", code, errb.String())
	}
	for _, want := range []string{"sigmoid→relu @0.5 ep", "relu→sigmoid @1.5 ep"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("compare's table lacks %q:\n%s", want, out.String())
		}
	}
	png := filepath.Join(tmp, "cmp.png")
	if code := Run([]string{"compare", "--png", png, sig, relu}, &out, &errb); code != 0 {
		t.Fatalf("compare --png = %d, stderr %q", code, errb.String())
	}
	if st, err := os.Stat(png); err != nil || st.Size() == 0 {
		t.Errorf("compare --png wrote no picture: %v", err)
	}
}
