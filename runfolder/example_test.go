package runfolder_test

import (
	"fmt"
	"os"
	"time"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/runfolder"
)

// A run folder is written as a run's events pass (the recorder does this
// between a trainer and its view) and read back whole by plot and compare.
func Example() {
	parent, err := os.MkdirTemp("", "runs")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(parent)
	start := time.Date(2026, 12, 6, 9, 30, 0, 0, time.UTC)
	dir, err := runfolder.NewDir(parent, start, "lenet5", engine.ReLU)
	if err != nil {
		panic(err)
	}
	info := engine.RunInfo{Dataset: "mnist", Arch: "lenet5", Activation: engine.ReLU, LR: 0.001, Batch: 32, Epochs: 1,
		TrainCount: 60000, TestCount: 10000}
	w, err := runfolder.Create(dir, []byte("arch: lenet5\nactivation: relu\n"), info, start)
	if err != nil {
		panic(err)
	}
	for _, ev := range []engine.Event{
		engine.Progress{Epoch: 1, Batch: 2, Batches: 1875, Step: 2, Losses: []float64{2.31, 2.05}, Accs: []float64{0.09, 0.25}},
		engine.EpochEnd{Epoch: 1, Epochs: 1, Step: 1875, TestLoss: 0.041, TestAcc: 0.9868},
		engine.Done{Epochs: 1, Step: 1875, TestLoss: 0.041, TestAcc: 0.9868},
	} {
		if err := w.Write(ev); err != nil {
			panic(err)
		}
	}
	if err := w.Close(); err != nil {
		panic(err)
	}

	r, err := runfolder.Read(dir)
	if err != nil {
		panic(err)
	}
	act, _ := r.Value("activation")
	loss, acc, epochs := r.Final()
	fmt.Printf("%s on %s, %s: %d batches kept\n", r.Start.Arch, r.Start.Dataset, act, len(r.Points))
	fmt.Printf("first batch: loss %.2f, accuracy %.0f%%\n", r.Points[0].Loss, 100*r.Points[0].Acc)
	fmt.Printf("%s after %d epoch(s): test accuracy %.2f%% (loss %.3f)\n", r.Outcome(), epochs, 100*acc, loss)
	// Output:
	// lenet5 on mnist, relu: 2 batches kept
	// first batch: loss 2.31, accuracy 9%
	// finished after 1 epoch(s): test accuracy 98.68% (loss 0.041)
}
