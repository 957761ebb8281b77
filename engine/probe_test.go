package engine

import (
	"context"
	"math"
	"reflect"
	"testing"
)

// TestProbe checks that Probe sees the image through every block and agrees
// with the Snapshot Run sends before its first batch.
func TestProbe(t *testing.T) {
	s := settings()
	tr := smallRun(t, s)
	got := tr.Probe(7)
	if got.Probe != 7 || got.Label != int(tr.test.Labels[7]) || got.Step != 0 {
		t.Errorf("Probe(7) = probe %d, label %d, step %d; want 7, %d, 0", got.Probe, got.Label, got.Step, tr.test.Labels[7])
	}
	infos := tr.net.Info()
	if len(got.Blocks) != len(infos) {
		t.Fatalf("Probe(7) has %d blocks, want %d", len(got.Blocks), len(infos))
	}
	for i, b := range got.Blocks {
		li := infos[i]
		if b.Name != li.Name || b.Shape != li.Out || len(b.Maps) != li.Out.Size() {
			t.Errorf("block %d = %s %v with %d values, want %s %v with %d", i, b.Name, b.Shape, len(b.Maps), li.Name, li.Out, li.Out.Size())
		}
		if conv := li.Kind == "conv"; conv != (b.Kernels != nil) {
			t.Errorf("block %s (%s) has kernels: %v, want %v", b.Name, li.Kind, b.Kernels != nil, conv)
		}
	}
	var sum float64
	for _, p := range got.Probs {
		sum += float64(p)
	}
	if len(got.Probs) != 10 || math.Abs(sum-1) > 1e-5 {
		t.Errorf("Probe(7).Probs = %v (sum %g), want 10 probabilities summing to 1", got.Probs, sum)
	}

	// The same net trained by Run sends the same snapshot before batch 1.
	run := smallRun(t, s)
	run.cfg.Probe, run.probe = 7, 7
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go run.Run(ctx)
	first := <-run.Events()
	cancel()
	drainEvents(run.Events())
	if snap, ok := first.(Snapshot); !ok || !reflect.DeepEqual(snap, got) {
		t.Errorf("Run's first event = %T, want the Snapshot Probe(7) returns", first)
	}
}

// TestProbeCopies checks that a Probe result does not alias the net.
func TestProbeCopies(t *testing.T) {
	tr := smallRun(t, settings())
	a := tr.Probe(0)
	a.Blocks[0].Maps[0], a.Blocks[0].Kernels[0], a.Input[0] = 1e9, 1e9, 1e9
	if b := tr.Probe(0); b.Blocks[0].Maps[0] == 1e9 || b.Blocks[0].Kernels[0] == 1e9 || b.Input[0] == 1e9 {
		t.Error("Probe(0) returns slices shared with the net")
	}
}

func TestProbeOutOfRange(t *testing.T) {
	tr := smallRun(t, settings())
	for _, i := range []int{-1, tr.test.Count} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Probe(%d) did not panic", i)
				}
			}()
			tr.Probe(i)
		}()
	}
}

func drainEvents(ch <-chan Event) {
	for range ch {
	}
}
