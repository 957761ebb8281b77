package engine

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// Benchmarks report images per second: run with
//
//	go test -run '^$' -bench . ./engine

func BenchmarkTrainStep(b *testing.B) {
	for _, arch := range []string{"lenet5", "lenet5-modern"} {
		for _, batch := range []int{64, 256} {
			b.Run(fmt.Sprintf("%s/batch=%d", arch, batch), func(b *testing.B) { benchTrain(b, arch, batch, 0) })
		}
	}
}

// BenchmarkTrainStepFlow is BenchmarkTrainStep with gradient flow measured
// every 20 batches, as the terminal UI does, and on every batch: compare
// them for its cost. The every-batch figure is the one to read on a busy
// machine, where noise hides a cost of a few per cent: the cost every 20
// batches is a twentieth of its difference.
func BenchmarkTrainStepFlow(b *testing.B) {
	for _, batch := range []int{32, 64} {
		for _, every := range []int{0, 20, 1} {
			b.Run(fmt.Sprintf("lenet5/batch=%d/flow=%d", batch, every), func(b *testing.B) { benchTrain(b, "lenet5", batch, every) })
		}
	}
}

// benchTrain times training steps of arch at batch size batch, measuring a
// Flow every flowEvery steps (0: never), on synthetic batches it cycles
// through as lenet-tui bench does (one batch over and over goes subnormal).
func benchTrain(b *testing.B, arch string, batch, flowEvery int) {
	spec, _ := LookupArch(arch)
	s := spec.Defaults
	s.Batch = batch
	tr, bs, err := newBenchTrainer(spec, TrainConfig{Settings: s, FlowEvery: flowEvery}, mnistIn, 10)
	if err != nil {
		b.Fatal(err)
	}
	tr.startWorkers(nil)
	defer tr.stopWorkers()
	x, y, n := bs.next()
	tr.trainStep(x, y, n)
	b.ResetTimer()
	step := 0
	for b.Loop() {
		step++
		measure := flowEvery > 0 && step%flowEvery == 0
		tr.meter(measure)
		x, y, n := bs.next()
		tr.trainStep(x, y, n)
		tr.meter(false)
		if measure {
			_ = tr.flow(0)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "img/s")
}

// BenchmarkLayer times one forward and backward pass of each layer kind at
// its LeNet-5 shape, on a batch of 32 (one worker's share of 64).
func BenchmarkLayer(b *testing.B) {
	const n = 32
	mk := func(l Layer, err error) Layer {
		if err != nil {
			b.Fatal(err)
		}
		return l
	}
	layers := []struct {
		name string
		in   Shape
		l    Layer
	}{
		{"conv/C1", Shape{1, 28, 28}, mk(allocated(newConv("C1", Shape{1, 28, 28}, 6, 5, 2, nil, false)))},
		{"conv/C3", Shape{6, 14, 14}, mk(allocated(newConv("C3", Shape{6, 14, 14}, 16, 5, 0, nil, true)))},
		{"conv/C3-table", Shape{6, 14, 14}, mk(allocated(newConv("C3", Shape{6, 14, 14}, 16, 5, 0, LeNet5Table(), true)))},
		{"conv/C5", Shape{16, 5, 5}, mk(allocated(newConv("C5", Shape{16, 5, 5}, 120, 5, 0, nil, true)))},
		{"pool/max", Shape{6, 28, 28}, mk(allocated(newPool("S2", PoolMax, Shape{6, 28, 28}, 2, false)))},
		{"pool/subsample", Shape{6, 28, 28}, mk(allocated(newPool("S2", PoolSubsample, Shape{6, 28, 28}, 2, false)))},
		{"act/relu", Shape{6, 28, 28}, newAct(ReLU, Shape{6, 28, 28})},
		{"act/sigmoid", Shape{6, 28, 28}, newAct(Sigmoid, Shape{6, 28, 28})},
		{"dense/F6", Shape{120, 1, 1}, mk(allocated(newDense("F6", Shape{120, 1, 1}, 84, true)))},
	}
	for _, tc := range layers {
		b.Run(tc.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			for _, p := range tc.l.Params() {
				copy(p.W, randn(rng, len(p.W), 0.1))
			}
			x := randn(rng, n*tc.in.Size(), 1)
			dy := randn(rng, n*tc.l.OutShape().Size(), 1)
			for b.Loop() {
				tc.l.Forward(x, n)
				tc.l.Backward(dy)
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "img/s")
		})
	}
}

// BenchmarkEvaluate times an evaluation of lenet5 on 1,000 and 10,000 test
// images (the terminal UI's quarter-epoch slice and an epoch's end), plain
// or with its Breakdown (the record kept by the workers and the Breakdown
// made of it): compare the two for the cost of the confusion matrix and
// the embedding.
func BenchmarkEvaluate(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		for _, detail := range []bool{false, true} {
			b.Run(fmt.Sprintf("lenet5/images=%d/breakdown=%v", n, detail), func(b *testing.B) {
				spec, _ := LookupArch("lenet5")
				s := spec.Defaults
				net, err := Build(spec, mnistIn, 10, s)
				if err != nil {
					b.Fatal(err)
				}
				test := dataset.Synthetic(n, 28, 28, 2)
				tr, err := NewTrainer(net, dataset.Synthetic(s.Batch, 28, 28, 1), test, TrainConfig{Settings: s, Breakdown: detail})
				if err != nil {
					b.Fatal(err)
				}
				tr.startWorkers(nil)
				defer tr.stopWorkers()
				for b.Loop() {
					tr.judge(test)
				}
				b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "img/s")
			})
		}
	}
}
