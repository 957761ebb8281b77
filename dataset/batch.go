package dataset

import (
	"fmt"
	"math/rand/v2"
)

// Batcher walks a Set in mini-batches, reshuffling at the start of each
// epoch with its own random source, so that a seed fixes the whole
// sequence of batches. A Batcher is not safe for concurrent use.
//
// A training loop reads:
//
//	for n := b.Next(x, y, &sc); n > 0; n = b.Next(x, y, &sc) {
//		// train on x[:n*Rows*Cols], y[:n]
//	}
//	b.Reset()
type Batcher struct {
	set     *Set
	batch   int
	shuffle bool
	rng     *rand.Rand
	order   []int // (Count) image indices in this epoch's order
	pos     int   // next position in order
	epoch   int   // epochs begun (Resets, counting NewBatcher's)
	aug     *Augmenter
	plain   []float32 // (Rows*Cols) an image before its distortion
}

// NewBatcher returns a Batcher over s yielding batches of batch images,
// positioned at the start of its first epoch. If shuffle is false it walks
// s in order and ignores seed. It panics if batch < 1.
func NewBatcher(s *Set, batch int, shuffle bool, seed uint64) *Batcher {
	if batch < 1 {
		panic(fmt.Sprintf("dataset: NewBatcher: batch = %d, want >= 1", batch))
	}
	b := &Batcher{
		set:     s,
		batch:   batch,
		shuffle: shuffle,
		rng:     rand.New(rand.NewPCG(seed, seed)),
		order:   make([]int, s.Count),
	}
	for i := range b.order {
		b.order[i] = i
	}
	b.Reset()
	return b
}

// Batches returns the number of batches in an epoch, ceil(Count/batch); the
// last one is short when batch does not divide Count.
func (b *Batcher) Batches() int {
	return (b.set.Count + b.batch - 1) / b.batch
}

// Augment makes Next distort every image with g, reseeded for each batch
// by the batch's epoch and place in it; nil turns distortions off.
func (b *Batcher) Augment(g *Augmenter) {
	b.aug = g
	if g != nil && b.plain == nil {
		b.plain = make([]float32, b.set.Rows*b.set.Cols)
	}
}

// Reset starts a new epoch, reshuffling the order if the Batcher shuffles.
func (b *Batcher) Reset() {
	b.pos = 0
	b.epoch++
	if b.shuffle {
		b.rng.Shuffle(len(b.order), func(i, j int) {
			b.order[i], b.order[j] = b.order[j], b.order[i]
		})
	}
}

// Next fills x, (batch, 1, Rows, Cols), with the next batch of images
// converted through sc and y, (batch), with their labels, and returns the
// number n of images filled; only x[:n*Rows*Cols] and y[:n] are written. It
// returns 0 once the epoch is over, until Reset. It panics if x or y is
// shorter than a full batch.
func (b *Batcher) Next(x []float32, y []uint8, sc *Scale) int {
	s := b.set
	size := s.Rows * s.Cols
	if len(x) < b.batch*size || len(y) < b.batch {
		panic(fmt.Sprintf("dataset: Batcher.Next: len(x), len(y) = %d, %d, want >= %d, %d",
			len(x), len(y), b.batch*size, b.batch))
	}
	n := b.start()
	b.fillPart(x, y, sc, 0, n)
	b.pass(n)
	return n
}

// start readies the next batch to be filled by fillPart, in order, and
// returns its number of images (0 once the epoch is over); pass moves on
// from it once it is filled.
func (b *Batcher) start() int {
	if b.aug != nil {
		b.aug.Reseed(uint64(b.epoch)<<32 | uint64(b.pos/b.batch))
	}
	return min(b.batch, len(b.order)-b.pos)
}

// pass moves on from the batch of n images start readied.
func (b *Batcher) pass(n int) { b.pos += n }

// fillPart fills images k0…k1−1 of the batch start readied into x and y,
// as Next does; the parts must come in order, each from where the last one
// ended, as a distortion draws its numbers from a source reseeded for the
// whole batch.
func (b *Batcher) fillPart(x []float32, y []uint8, sc *Scale, k0, k1 int) {
	s := b.set
	size := s.Rows * s.Cols
	for k := k0; k < k1; k++ {
		i := b.order[b.pos+k]
		if b.aug == nil {
			s.Fill(x[k*size:(k+1)*size], i, sc)
		} else {
			s.Fill(b.plain, i, sc)
			b.aug.Apply(x[k*size:(k+1)*size], b.plain, s.Rows, s.Cols, sc[0])
		}
		y[k] = s.Labels[i]
	}
}

// Skip passes over the next n batches of the epoch without filling them, as
// n calls of Next would.
func (b *Batcher) Skip(n int) {
	b.pos = min(b.pos+max(n, 0)*b.batch, len(b.order))
}
