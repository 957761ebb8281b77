package engine

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"
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

// TestProbeImage: an image of one's own goes through the net as a test
// image does, and as the probe of a run it is what every snapshot shows
// until a SetProbe.
func TestProbeImage(t *testing.T) {
	tr := smallRun(t, settings())
	want := tr.Probe(7)
	got := tr.ProbeImage(tr.test.Image(7))
	if !got.Own || got.Probe != -1 || got.Label != -1 {
		t.Errorf("ProbeImage: Own %v, Probe %d, Label %d; want true, -1, -1", got.Own, got.Probe, got.Label)
	}
	got.Own, got.Probe, got.Label = false, want.Probe, want.Label
	if !reflect.DeepEqual(got, want) {
		t.Error("ProbeImage(test image 7) differs from Probe(7)")
	}

	own := make([]uint8, 144) // a bar across the middle
	for x := 2; x < 10; x++ {
		own[6*12+x], own[7*12+x] = 255, 200
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tr.Send(Pause{})
	go tr.Run(ctx)
	tr.Send(SetProbeImage{Pixels: make([]uint8, 100)}) // another size: ignored
	tr.Send(SetProbeImage{Pixels: own})
	tr.Send(TakeSnapshot{})
	tr.Send(SetProbe{Index: 3})
	tr.Send(Stop{})
	var snaps []Snapshot
	for ev := range tr.Events() {
		if s, ok := ev.(Snapshot); ok {
			snaps = append(snaps, s)
		}
	}
	if len(snaps) != 4 {
		t.Fatalf("%d snapshots, want 4: the first, the image, TakeSnapshot's, test image 3", len(snaps))
	}
	ownSnap := tr.ProbeImage(own) // the same weights: paused before the first batch
	for i, s := range snaps[1:3] {
		if !reflect.DeepEqual(s, ownSnap) {
			t.Errorf("snapshot %d = probe %d own %v, want the image's", i+1, s.Probe, s.Own)
		}
	}
	if s := snaps[3]; s.Own || s.Probe != 3 {
		t.Errorf("after SetProbe{3}: Own %v, Probe %d; want false, 3", s.Own, s.Probe)
	}
}

// TestCheckpointLook: a saved net, fed through the checkpoint's pixel
// scaling, sees a test image as the trainer did.
func TestCheckpointLook(t *testing.T) {
	for _, in := range []Input{InputStandardize, InputUnit} {
		s := settings()
		s.Input = in
		tr := smallRun(t, s)
		path := t.TempDir() + "/net.safetensors"
		if err := tr.Save(path); err != nil {
			t.Fatal(err)
		}
		ck, err := ReadCheckpoint(path)
		if err != nil {
			t.Fatal(err)
		}
		if sc := ck.Scale(); sc != tr.scale {
			t.Errorf("input %s: Checkpoint.Scale() maps 0 and 255 to %v, %v; the trainer to %v, %v", in, sc[0], sc[255], tr.scale[0], tr.scale[255])
		}
		net, err := ck.Net(ck.Settings)
		if err != nil {
			t.Fatal(err)
		}
		sc := ck.Scale()
		got, want := net.Look(tr.test.Image(5), &sc), tr.Probe(5)
		if !reflect.DeepEqual(got.Probs, want.Probs) || !reflect.DeepEqual(got.Input, want.Input) {
			t.Errorf("input %s: the checkpoint's net sees test image 5 otherwise than the trainer", in)
		}
	}
}
