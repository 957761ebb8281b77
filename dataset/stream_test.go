package dataset

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
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

// TestStreamSameBatches: the batches of a Stream are those of its Batcher
// used directly, skip included, with or without distortions, whether Next
// fills them or another goroutine fills them ahead (Fill) meanwhile, a
// piece at a time (batches of streamPiece images, and of 2.5 pieces, so
// that a batch is begun by one goroutine and finished by the other).
func TestStreamSameBatches(t *testing.T) {
	s := Synthetic(50, 12, 12, 3)
	for _, tt := range []struct {
		name  string
		aug   func() *Augmenter
		batch int
	}{
		{"none", func() *Augmenter { return nil }, streamPiece},
		{"none", func() *Augmenter { return nil }, 5 * streamPiece / 2},
		{"affine", func() *Augmenter { return NewAffineAugmenter(DefaultAffine, 9) }, streamPiece},
		{"affine", func() *Augmenter { return NewAffineAugmenter(DefaultAffine, 9) }, 5 * streamPiece / 2},
		{"elastic", func() *Augmenter { return NewElasticAugmenter(DefaultElastic, 9) }, 5 * streamPiece / 2},
	} {
		wantX, wantY := batchSeq(s, tt.batch, 4, tt.aug(), 3, 2)
		if len(wantY) != 3*50-2*tt.batch {
			t.Errorf("%d images in 3 epochs of 50 less 2 batches of %d, want %d", len(wantY), tt.batch, 3*50-2*tt.batch)
		}
		for _, helped := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/batch=%d/helped=%v", tt.name, tt.batch, helped), func(t *testing.T) {
				b := NewBatcher(s, tt.batch, true, 4)
				b.Augment(tt.aug())
				sc := Standardize(MNISTMean, MNISTStd)
				st := NewStream(b, &sc, 3, 2)
				defer st.Close()
				stop := make(chan struct{})
				var fills atomic.Int64
				var wg sync.WaitGroup
				if helped {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							select {
							case <-stop:
								return
							default:
							}
							if st.Fill() {
								fills.Add(1)
							}
						}
					}()
				}
				var gotX []float32
				var gotY []uint8
				for x, y, n := st.Next(); n > 0; x, y, n = st.Next() {
					gotX = append(gotX, x[:n*144]...)
					gotY = append(gotY, y[:n]...)
					time.Sleep(100 * time.Microsecond) // a step, for the helper to fill ahead in
				}
				close(stop)
				wg.Wait()
				if !slices.Equal(gotY, wantY) || !slices.Equal(gotX, wantX) {
					t.Errorf("Stream gave %d images, labels %v…; the Batcher %d, %v…", len(gotY), gotY[:8], len(wantY), wantY[:8])
				}
				if helped && fills.Load() == 0 {
					t.Errorf("the other goroutine filled no batch ahead")
				}
			})
		}
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

// TestStreamAllocs: no allocation per batch, filled by Fill or by Next,
// with distortions.
func TestStreamAllocs(t *testing.T) {
	s := Synthetic(64, 28, 28, 1)
	for _, aug := range []*Augmenter{nil, NewAffineAugmenter(DefaultAffine, 1), NewElasticAugmenter(DefaultElastic, 1)} {
		b := NewBatcher(s, 16, true, 1)
		b.Augment(aug)
		sc := Standardize(MNISTMean, MNISTStd)
		st := NewStream(b, &sc, 1000, 0)
		st.Next() // the scratch is sized on the first image
		for _, ahead := range []bool{false, true} {
			allocs := testing.AllocsPerRun(100, func() {
				if ahead && !st.Fill() {
					t.Fatal("Fill found no buffer free")
				}
				if _, _, n := st.Next(); n == 0 {
					t.Fatal("the stream ended early")
				}
			})
			if allocs != 0 {
				t.Errorf("augment %v, filled ahead %v: AllocsPerRun(Stream.Next) = %v, want 0", aug != nil, ahead, allocs)
			}
		}
		st.Close()
	}
}

// TestStreamClose: after Close, Next reports the end, though batches were
// filled ahead, and Fill fills none.
func TestStreamClose(t *testing.T) {
	b := NewBatcher(Synthetic(100, 4, 4, 1), 2, true, 1)
	sc := UnitScale()
	st := NewStream(b, &sc, 10, 0)
	if _, _, n := st.Next(); n != 2 {
		t.Fatalf("Next() n = %d, want 2", n)
	}
	if !st.Fill() {
		t.Fatal("Fill() = false with two buffers free")
	}
	st.Close()
	st.Close()
	if _, _, n := st.Next(); n != 0 {
		t.Errorf("Next() after Close: n = %d, want 0", n)
	}
	if st.Fill() {
		t.Errorf("Fill() after Close = true, want false")
	}
}
