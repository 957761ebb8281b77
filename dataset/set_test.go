package dataset

import (
	"math/rand/v2"
	"testing"
)

// TestHistogram compares the split, interleaved count with one counter per
// byte value, at lengths that leave every remainder.
func TestHistogram(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, 8, 9, 1001, 100_003} {
		b := make([]byte, n)
		for i := range b {
			if rng.IntN(4) > 0 {
				b[i] = byte(rng.IntN(256)) // and runs of 0, as MNIST's background
			}
		}
		var want [256]int
		for _, p := range b {
			want[p]++
		}
		if got := histogram(b); got != want {
			t.Errorf("histogram(%d bytes) differs from a plain count", n)
		}
	}
}
