package dataset

import (
	"slices"
	"testing"
)

// batchSeq returns every batch a Batcher over s yields over epochs epochs,
// skipping the first skip batches of the first, as flat x and y, filled
// directly on this goroutine.
func batchSeq(s *Set, batch int, seed uint64, aug *Augmenter, epochs, skip int) ([]float32, []uint8) {
	b := NewBatcher(s, batch, true, seed)
	b.Augment(aug)
	sc := Standardize(MNISTMean, MNISTStd)
	size := s.Rows * s.Cols
	x, y := make([]float32, batch*size), make([]uint8, batch)
	var xs []float32
	var ys []uint8
	for e := range epochs {
		b.Reset()
		if e == 0 {
			for range skip {
				b.Next(x, y, &sc)
			}
		}
		for n := b.Next(x, y, &sc); n > 0; n = b.Next(x, y, &sc) {
			xs = append(xs, x[:n*size]...)
			ys = append(ys, y[:n]...)
		}
	}
	return xs, ys
}

// TestStreamSameBatches: the batches of a Stream, filled on its goroutine,
// are those of its Batcher used directly, skip included, with or without
// distortions.
func TestStreamSameBatches(t *testing.T) {
	s := Synthetic(50, 12, 12, 3)
	for _, tt := range []struct {
		name string
		aug  func() *Augmenter
	}{
		{"none", func() *Augmenter { return nil }},
		{"affine", func() *Augmenter { return NewAffineAugmenter(DefaultAffine, 9) }},
		{"elastic", func() *Augmenter { return NewElasticAugmenter(DefaultElastic, 9) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantX, wantY := batchSeq(s, 8, 4, tt.aug(), 3, 2)
			b := NewBatcher(s, 8, true, 4)
			b.Augment(tt.aug())
			sc := Standardize(MNISTMean, MNISTStd)
			st := NewStream(b, &sc, 3, 2)
			defer st.Close()
			var gotX []float32
			var gotY []uint8
			for x, y, n := st.Next(); n > 0; x, y, n = st.Next() {
				gotX = append(gotX, x[:n*144]...)
				gotY = append(gotY, y[:n]...)
			}
			if !slices.Equal(gotY, wantY) || !slices.Equal(gotX, wantX) {
				t.Errorf("Stream gave %d images, labels %v…; the Batcher %d, %v…", len(gotY), gotY[:8], len(wantY), wantY[:8])
			}
			if len(wantY) != 3*50-2*8 {
				t.Errorf("%d images in 3 epochs of 50 less 2 batches of 8, want %d", len(wantY), 3*50-16)
			}
		})
	}
}

// TestBatcherAugmentReproducible: the same seed gives the same distorted
// batches, and they differ from the plain ones.
func TestBatcherAugmentReproducible(t *testing.T) {
	s := Synthetic(40, 12, 12, 3)
	a, _ := batchSeq(s, 16, 5, NewElasticAugmenter(DefaultElastic, 5), 2, 0)
	b, _ := batchSeq(s, 16, 5, NewElasticAugmenter(DefaultElastic, 5), 2, 0)
	plain, _ := batchSeq(s, 16, 5, nil, 2, 0)
	if !slices.Equal(a, b) {
		t.Errorf("two runs with seed 5 distorted differently")
	}
	if slices.Equal(a, plain) {
		t.Errorf("the distorted batches equal the plain ones")
	}
}

func TestBatcherSkip(t *testing.T) {
	s := indexSet(23)
	a, b := NewBatcher(s, 5, true, 8), NewBatcher(s, 5, true, 8)
	sc := identity()
	x, y := make([]float32, 10), make([]uint8, 5)
	for range 2 {
		a.Next(x, y, &sc)
	}
	b.Skip(2)
	orderA, _ := epoch(t, a)
	orderB, _ := epoch(t, b)
	if !slices.Equal(orderA, orderB) {
		t.Errorf("after Skip(2): %v, after 2 Next: %v", orderB, orderA)
	}
	b.Skip(100)
	if n := b.Next(x, y, &sc); n != 0 {
		t.Errorf("Next after Skip past the end = %d, want 0", n)
	}
}

// TestStreamAllocs: no allocation per batch, on either goroutine, with
// distortions.
func TestStreamAllocs(t *testing.T) {
	s := Synthetic(64, 28, 28, 1)
	for _, aug := range []*Augmenter{nil, NewAffineAugmenter(DefaultAffine, 1), NewElasticAugmenter(DefaultElastic, 1)} {
		b := NewBatcher(s, 16, true, 1)
		b.Augment(aug)
		sc := Standardize(MNISTMean, MNISTStd)
		st := NewStream(b, &sc, 1000, 0)
		st.Next() // the scratch is sized on the first image
		allocs := testing.AllocsPerRun(100, func() {
			if _, _, n := st.Next(); n == 0 {
				t.Fatal("the stream ended early")
			}
		})
		st.Close()
		if allocs != 0 {
			t.Errorf("augment %v: AllocsPerRun(Stream.Next) = %v, want 0", aug != nil, allocs)
		}
	}
}

// TestStreamClose: Close stops a producer waiting for a free buffer, and
// Next then reports the end.
func TestStreamClose(t *testing.T) {
	b := NewBatcher(Synthetic(100, 4, 4, 1), 2, true, 1)
	sc := UnitScale()
	st := NewStream(b, &sc, 10, 0)
	if _, _, n := st.Next(); n != 2 {
		t.Fatalf("Next() n = %d, want 2", n)
	}
	st.Close()
	st.Close()
	if _, _, n := st.Next(); n != 0 {
		t.Errorf("Next() after Close: n = %d, want 0", n)
	}
}
