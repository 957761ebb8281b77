package engine

import (
	"reflect"
	"slices"
	"testing"
)

// TestProbeDistorted checks that a Snapshot carries ProbeDraws distortions
// of its input for each kind of augment, drawn as a fresh Augmenter
// seeded with probeSeed and reseeded with the step draws them, the same
// for the same step and not shared between snapshots.
func TestProbeDistorted(t *testing.T) {
	tr := smallRun(t, settings())
	s := tr.Probe(3)
	if got, want := len(s.Distorted), 2; got != want {
		t.Fatalf("Probe(3).Distorted has %d kinds, want %d", got, want)
	}
	for i, kind := range []Augment{AugmentAffine, AugmentElastic} {
		d := s.Distorted[i]
		if d.Kind != kind || len(d.Images) != ProbeDraws {
			t.Fatalf("Probe(3).Distorted[%d] = %s with %d images, want %s with %d", i, d.Kind, len(d.Images), kind, ProbeDraws)
		}
		g := kind.Augmenter(probeSeed)
		g.Reseed(uint64(s.Step))
		want := make([]float32, len(s.Input))
		for j, img := range d.Images {
			g.Apply(want, s.Input, tr.net.in.H, tr.net.in.W, float32(finiteMin(s.Input)))
			if !slices.Equal(img, want) {
				t.Errorf("Probe(3).Distorted[%d].Images[%d] differs from draw %d of a fresh %s augmenter", i, j, j, kind)
			}
		}
		if slices.Equal(d.Images[0], d.Images[1]) {
			t.Errorf("Probe(3).Distorted[%d]: draws 0 and 1 are the same", i)
		}
	}
	s.Distorted[0].Images[0][0] = 1e9
	again := tr.Probe(3)
	if again.Distorted[0].Images[0][0] == 1e9 {
		t.Error("Probe(3) returns distortions shared with an earlier Snapshot")
	}
	s.Distorted[0].Images[0][0] = again.Distorted[0].Images[0][0]
	if !reflect.DeepEqual(s.Distorted, again.Distorted) {
		t.Error("Probe(3) twice at the same step: the distortions differ")
	}
	if got := Distort(s.Input, tr.net.in.H, tr.net.in.W, s.Step); !reflect.DeepEqual(got, again.Distorted) {
		t.Error("Distort(Probe(3).Input) differs from Probe(3).Distorted")
	}
	own := tr.ProbeImage(tr.test.Image(3))
	if !reflect.DeepEqual(own.Distorted, again.Distorted) {
		t.Error("ProbeImage(test image 3) distorts otherwise than Probe(3)")
	}
}

func TestFiniteMin(t *testing.T) {
	nan := float32(0)
	nan /= nan
	for _, tt := range []struct {
		vs   []float32
		want float64
	}{
		{nil, 0}, {[]float32{nan}, 0}, {[]float32{3, -1, 2}, -1}, {[]float32{nan, 2, 5}, 2},
	} {
		if got := finiteMin(tt.vs); got != tt.want {
			t.Errorf("finiteMin(%v) = %g, want %g", tt.vs, got, tt.want)
		}
	}
}
