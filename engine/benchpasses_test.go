package engine

import (
	"math"
	"slices"
	"testing"
	"time"
)

// TestPassFLOP checks the FLOP of lenet5's passes against LeCun et al.'s
// connection counts: a connection is a multiply-add or a bias, so a conv or
// dense layer does connections − outputs multiply-adds a pass, 2 FLOP each,
// and its backward pass does them twice (weight and input gradients), but
// once in C1, whose input gradient nobody wants.
func TestPassFLOP(t *testing.T) {
	net := buildArch(t, "lenet5")
	want := map[string][2]float64{
		"C1": {2 * (122304 - 6*28*28), 2 * (122304 - 6*28*28)},
		"C3": {2 * (151600 - 16*10*10), 4 * (151600 - 16*10*10)},
		"C5": {2 * (48120 - 120), 4 * (48120 - 120)},
		"F6": {2 * (10164 - 84), 4 * (10164 - 84)},
	}
	for _, b := range net.blocks {
		w, ok := want[b.info.Name]
		if !ok {
			continue
		}
		fwd, bwd, fma := passFLOP(b)
		if fwd != w[0] || bwd != w[1] || !fma {
			t.Errorf("passFLOP(%s) = %g, %g, %v, want %g, %g, true", b.info.Name, fwd, bwd, fma, w[0], w[1])
		}
		delete(want, b.info.Name)
	}
	if len(want) > 0 {
		t.Errorf("lenet5 has no blocks %v", want)
	}
}

// TestBenchPasses checks a pass table of lenet5-modern: its rows, the step's
// FLOP (2,263,920 a trained image: 2·(117,600 + 240,000 + 48,000 + 10,080 +
// 840) multiply-adds forward, twice that backward but for C1's input
// gradient) and shares that sum to 1. Times are not checked.
func TestBenchPasses(t *testing.T) {
	spec, err := LookupArch("lenet5-modern")
	if err != nil {
		t.Fatal(err)
	}
	s := spec.Defaults
	s.Batch = 8
	pt, err := BenchPasses(spec, s, mnistIn, 10, 30*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(pt.Rows), 2*7+2; got != want {
		t.Fatalf("BenchPasses(lenet5-modern) has %d rows, want %d", got, want)
	}
	if pt.StepFLOP != 2263920 {
		t.Errorf("BenchPasses(lenet5-modern).StepFLOP = %g, want 2263920", pt.StepFLOP)
	}
	if pt.WorkerImages != (8+pt.Workers-1)/pt.Workers {
		t.Errorf("BenchPasses(batch 8).WorkerImages = %d on %d workers", pt.WorkerImages, pt.Workers)
	}
	sum := 0.0
	for _, r := range pt.Rows {
		sum += r.Share
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("BenchPasses(lenet5-modern) shares sum to %g, want 1", sum)
	}
}

// TestBenchBatchesGoRound holds the benchmark to many batches, each
// filled once and met again only after all the others, so that a net
// cannot learn one batch by heart while it is timed.
func TestBenchBatchesGoRound(t *testing.T) {
	spec, err := LookupArch("lenet5-modern")
	if err != nil {
		t.Fatal(err)
	}
	s := spec.Defaults
	s.Batch = 64
	_, bs, err := newBenchTrainer(spec, TrainConfig{Settings: s}, mnistIn, 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := benchImages / 64; len(bs.x) != want || bs.n != 64 {
		t.Fatalf("%d batches of %d images, want %d of 64", len(bs.x), bs.n, want)
	}
	first, _, _ := bs.next()
	for i := 1; i < len(bs.x); i++ {
		x, y, _ := bs.next()
		if &x[0] == &first[0] || slices.Equal(x, first) || len(y) != 64 {
			t.Fatalf("batch %d is the first again, or short", i)
		}
	}
	if x, _, _ := bs.next(); &x[0] != &first[0] {
		t.Errorf("after %d batches next did not come back to the first", len(bs.x))
	}
}
