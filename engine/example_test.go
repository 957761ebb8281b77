package engine_test

import (
	"context"
	"fmt"
	"math"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
)

// tiny is an architecture written as plain data, as a config file's layers
// list is: a 3×3 convolution, max pooling, a dense output of 10 classes.
var tiny = engine.ArchSpec{Name: "tiny", Layers: []engine.LayerSpec{
	{Name: "C1", Kind: "conv", Maps: 4, Kernel: 3, Padding: "same"},
	{Name: "S2", Kind: "pool", Pool: engine.PoolMax, Activation: "none"},
	{Name: "OUT", Kind: "dense", Units: 10},
}}

// Build lays an architecture out for an input shape and allocates its
// parameters; Info then gives every block's shapes and counts, with the
// arithmetic behind them.
func ExampleBuild() {
	lenet5, _ := engine.LookupArch("lenet5") // the architecture's own settings are its Defaults
	net, err := engine.Build(tiny, engine.Shape{C: 1, H: 12, W: 12}, 10, lenet5.Defaults)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range net.Info() {
		fmt.Printf("%-3s %-8s %-7s → %-7s %s\n", l.Name, l.Kind, l.In, l.Out, l.ParamsFormula)
	}
	params, connections := engine.Totals(net.Info())
	fmt.Println(engine.Thousands(params), "parameters,", engine.Thousands(connections), "connections")
	for _, p := range net.Params() {
		fmt.Print(p.Name, " ", len(p.W), "  ")
	}
	fmt.Println()
	// Output:
	// C1  conv     1@12×12 → 4@12×12 4×(3×3+1)=40
	// S2  pool     4@12×12 → 4@6×6   0
	// OUT dense    4@6×6   → 10      10×(144+1)=1,450
	// 1,490 parameters, 7,786 connections
	// C1.w 36  C1.b 4  OUT.w 1440  OUT.b 10
}

// Plan counts a net without allocating it; its error (and Build's) names
// the layer that does not fit.
func ExamplePlan() {
	lenet5, _ := engine.LookupArch("lenet5")
	infos, err := engine.Plan(lenet5, engine.Shape{C: 1, H: 28, W: 28}, 10, lenet5.Defaults)
	if err != nil {
		fmt.Println(err)
		return
	}
	params, connections := engine.Totals(infos)
	fmt.Println("lenet5:", engine.Thousands(params), "parameters,", engine.Thousands(connections), "connections")

	_, err = engine.Plan(lenet5, engine.Shape{C: 1, H: 16, W: 16}, 10, lenet5.Defaults)
	fmt.Println(err)
	// Output:
	// lenet5: 60,850 parameters, 340,918 connections
	// architecture "lenet5", layer 5 (C5): C5: a 5×5 kernel with padding 0 does not fit input 16@2×2
}

// Forward takes a batch of scaled images (n, C, H, W) and returns the
// logits (n, classes); Probs turns one image's outputs into probabilities.
func ExampleNet_Forward() {
	lenet5, _ := engine.LookupArch("lenet5")
	net, _ := engine.Build(tiny, engine.Shape{C: 1, H: 12, W: 12}, 10, lenet5.Defaults)
	images := dataset.Synthetic(2, 12, 12, 1)
	sc := dataset.Standardize(images.PixelStats())
	x := make([]float32, 2*12*12) // (2, 1, 12, 12)
	images.Fill(x[:144], 0, &sc)
	images.Fill(x[144:], 1, &sc)

	logits := net.Forward(x, 2) // (2, 10)
	var sum float64
	for _, p := range net.Probs(logits[:10]) {
		sum += float64(p)
	}
	fmt.Println(len(logits), "logits; the first image's probabilities sum to", math.Round(sum*1000)/1000)
	// Output:
	// 20 logits; the first image's probabilities sum to 1
}

// A Trainer runs in its own goroutine: it sends Events on a channel it
// closes when the run ends, and takes Commands between batches.
func ExampleTrainer() {
	modern, _ := engine.LookupArch("lenet5-modern")
	s := modern.Defaults // ReLU, He initialisation, Adam, one-cycle, seed 1
	s.Batch, s.Epochs, s.LR = 20, 2, 0.01
	train, test := dataset.Synthetic(400, 12, 12, 1), dataset.Synthetic(100, 12, 12, 2)
	net, err := engine.Build(tiny, engine.Shape{C: 1, H: 12, W: 12}, dataset.Classes, s) // the tiny net of ExampleBuild
	if err != nil {
		fmt.Println(err)
		return
	}
	tr, err := engine.NewTrainer(net, train, test, engine.TrainConfig{Settings: s})
	if err != nil {
		fmt.Println(err)
		return
	}
	go tr.Run(context.Background())
	batches := 0
	for ev := range tr.Events() {
		switch ev := ev.(type) {
		case engine.Progress:
			batches += len(ev.Losses) // coalesced: one loss per batch, none dropped
		case engine.EpochEnd:
			fmt.Printf("epoch %d of %d: %d batches, test accuracy above 80%%: %v\n", ev.Epoch, ev.Epochs, batches, ev.TestAcc > 0.8)
		case engine.Done:
			fmt.Println("done after", ev.Epochs, "epochs,", ev.Step, "steps")
		}
	}
	// Output:
	// epoch 1 of 2: 20 batches, test accuracy above 80%: true
	// epoch 2 of 2: 40 batches, test accuracy above 80%: true
	// done after 2 epochs, 40 steps
}
