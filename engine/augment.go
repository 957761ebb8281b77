package engine

import (
	"math"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// ProbeDraws is how many distortions of the probe a Snapshot carries for
// each kind of augment: more than a view shows side by side on a screen
// of up to about 300 columns.
const ProbeDraws = 16

// probeSeed seeds the probe's augmenters: what is drawn depends on the
// snapshot's step only, not on the run's seed.
const probeSeed = 1

// Distortions is the probe under one kind of augment: random distortions
// drawn as the batcher draws them for the training images, from a source
// reseeded with the snapshot's step, so that a snapshot at the same step
// shows the same ones.
type Distortions struct {
	Kind   Augment
	Images [][]float32 // ProbeDraws images, each (H, W) as Snapshot.Input
}

// probeAugmenters draw the snapshots' distortions, one Augmenter per kind
// (affine, elastic). A Trainer makes them on first use and keeps them: an
// elastic one smooths its noise fields once.
type probeAugmenters []probeAugmenter

type probeAugmenter struct {
	kind Augment
	g    *dataset.Augmenter
}

func newProbeAugmenters() probeAugmenters {
	var ps probeAugmenters
	for _, a := range augments {
		if a != AugmentNone {
			ps = append(ps, probeAugmenter{a, a.Augmenter(probeSeed)})
		}
	}
	return ps
}

// Distort returns the distortions of a probe image, in (H, W) as
// Snapshot.Input, that a Snapshot taken at step carries: ProbeDraws under
// each kind of augment. Input is not modified.
func Distort(input []float32, h, w, step int) []Distortions {
	return newProbeAugmenters().distort(input, h, w, step)
}

// distort adds to s the distortions of its input. It is called by Probe
// and ProbeImage, never while Run is going (the augmenters are not safe
// for concurrent use). A net whose input has more than one channel gets
// none.
func (t *Trainer) distort(s *Snapshot) {
	in := t.net.in // (C, H, W)
	if in.C != 1 || len(s.Input) != in.Size() {
		return
	}
	if t.probeAug == nil {
		t.probeAug = newProbeAugmenters()
	}
	s.Distorted = t.probeAug.distort(s.Input, in.H, in.W, s.Step)
}

func (ps probeAugmenters) distort(input []float32, h, w, step int) []Distortions {
	bg := float32(finiteMin(input))
	out := make([]Distortions, len(ps))
	for i, p := range ps {
		p.g.Reseed(uint64(step))
		out[i] = Distortions{Kind: p.kind, Images: make([][]float32, ProbeDraws)}
		for j := range out[i].Images {
			img := make([]float32, h*w) // a fresh slice each: events are values
			p.g.Apply(img, input, h, w, bg)
			out[i].Images[j] = img
		}
	}
	return out
}

// finiteMin is the least finite value of vs, 0 if none: the background
// a distortion brings in from outside the image.
func finiteMin(vs []float32) float64 {
	lo, seen := 0.0, false
	for _, v := range vs {
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		if !seen || f < lo {
			lo, seen = f, true
		}
	}
	return lo
}
