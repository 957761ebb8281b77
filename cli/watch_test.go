package cli

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui"
)

// TestSayOutcome: leaving the terminal UI says what train says at its end:
// the result, the run folder and how to draw it, each checkpoint and how
// to use it; a run left early says where it stood.
func TestSayOutcome(t *testing.T) {
	info := engine.RunInfo{Arch: "lenet5", Activation: engine.ReLU, Epochs: 3}
	epoch := &engine.EpochEnd{Epoch: 3, Epochs: 3, Step: 5625, TestLoss: 0.0412, TestAcc: 0.9868}
	early := &engine.EpochEnd{Epoch: 1, Epochs: 3, Step: 1875, TestLoss: 0.1, TestAcc: 0.97}
	at := engine.Progress{Epoch: 2, Batch: 500, Batches: 1875, Step: 2375}
	for _, tc := range []struct {
		name string
		out  tui.Outcome
		want []string
	}{
		{"finished", tui.Outcome{Info: info, Activation: engine.ReLU, Epoch: epoch, Done: &engine.Done{Epochs: 3}, Left: engine.Progress{Step: 5625}, RunDir: "runs/x y", Saved: []string{"runs/x y/checkpoint.safetensors"}},
			[]string{"lenet5, relu: test accuracy 98.68% (loss 0.0412) after 3 of 3 epoch(s)\n",
				"run kept in runs/x y (lenet-tui plot 'runs/x y' draws it",
				"checkpoint runs/x y/checkpoint.safetensors (lenet-tui eval --load 'runs/x y/checkpoint.safetensors' measures it; lenet-tui train --load 'runs/x y/checkpoint.safetensors' resumes it)"}},
		{"left in epoch 2", tui.Outcome{Info: info, Activation: engine.Sigmoid, Epoch: early, Left: at},
			[]string{"lenet5, sigmoid: test accuracy 97.00% (loss 0.1000) after 1 of 3 epoch(s); left at epoch 2, batch 500 of 1875\n"}},
		{"left in epoch 1", tui.Outcome{Info: info, Activation: engine.ReLU, Left: engine.Progress{Epoch: 1, Batch: 40, Batches: 1875, Step: 40}, RunDir: "runs/a"},
			[]string{"left at epoch 1, batch 40 of 1875, before the first epoch's test evaluation", "run kept in runs/a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			if err := sayOutcome(&b, tc.out); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("sayOutcome(%s) = %q, want it to hold %q", tc.name, b.String(), w)
				}
			}
			if tc.out.RunDir == "" && strings.Contains(b.String(), "run kept") {
				t.Errorf("sayOutcome(%s) names a run folder, with none: %q", tc.name, b.String())
			}
		})
	}
}

// TestTourRun: a request that names an architecture gets a run of its own,
// with that architecture's defaults on the program's data, changed as asked,
// and kept in a run folder of its own whose settings say so.
func TestTourRun(t *testing.T) {
	f := config.Flags{}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	f.Register(fs)
	if err := f.Parse(fs, []string{"--data", tinyMNISTOf(t, 250), "--batch", "32"}); err != nil {
		t.Fatal(err)
	}
	c, err := f.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	runs := t.TempDir()
	p, err := newPipeline(c, engine.TrainConfig{}, runs, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	note, _ := engine.LookupArch("seed-code")
	for _, req := range []tui.RunRequest{
		{Arch: "seed-code", Activation: engine.ReLU},
		{Arch: "seed-code", Activation: engine.ReLU, Init: engine.InitHe},
	} {
		tr, err := p.newRun(req)
		if err != nil {
			t.Fatalf("newRun(%+v): %v", req, err)
		}
		info := tr.Info()
		if info.Arch != "seed-code" || info.Activation != engine.ReLU || info.Batch != note.Defaults.Batch || info.LR != note.Defaults.LR {
			t.Errorf("newRun(%+v).Info() = %+v, want seed-code's defaults (batch %d, lr %g) with relu", req, info, note.Defaults.Batch, note.Defaults.LR)
		}
		dir := tr.(interface{ Dir() string }).Dir()
		b, err := os.ReadFile(filepath.Join(dir, "settings.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		wantInit := "init: " + string(note.Defaults.Init)
		if req.Init != "" {
			wantInit = "init: " + string(req.Init)
		}
		if y := string(b); !strings.Contains(y, "arch: seed-code") || !strings.Contains(y, wantInit) {
			t.Errorf("newRun(%+v) keeps settings.yaml:\n%s\nwant arch: seed-code and %s", req, y, wantInit)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		tr.Run(ctx)
		for range tr.Events() {
		}
	}
	if err := p.rec.Wait(); err != nil {
		t.Fatal(err)
	}
}
