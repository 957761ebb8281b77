package dataset

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Synthetic returns a set of count rows×cols images that a small network
// learns in a few epochs, for tests that cannot rely on real files. Class c
// is a bright Gaussian blob centred in cell c of a 2×5 grid, jittered by up
// to a pixel (less in small images), over uniform noise. Labels cycle
// through 0…9, so classes are balanced. The same arguments always give the
// same set. It panics unless all sizes are positive.
func Synthetic(count, rows, cols int, seed uint64) *Set {
	if count < 1 || rows < 1 || cols < 1 {
		panic(fmt.Sprintf("dataset: Synthetic(%d, %d, %d): sizes must be positive", count, rows, cols))
	}
	s := &Set{
		Name:    "synthetic",
		Images:  make([]uint8, count*rows*cols),
		Labels:  make([]uint8, count),
		Count:   count,
		Rows:    rows,
		Cols:    cols,
		Classes: Classes,
		Names:   ClassNames("mnist"),
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	sigma := max(float64(min(rows, cols))/10, 0.75)
	jitter := min(sigma/2, 1)
	for i := range count {
		c := i % Classes
		s.Labels[i] = uint8(c)
		cy := float64(rows)*float64(1+2*(c/5))/4 - 0.5 + jitter*(2*rng.Float64()-1)
		cx := float64(cols)*float64(1+2*(c%5))/10 - 0.5 + jitter*(2*rng.Float64()-1)
		img := s.Images[i*rows*cols : (i+1)*rows*cols]
		for y := range rows {
			for x := range cols {
				dy, dx := float64(y)-cy, float64(x)-cx
				v := 200*math.Exp(-(dx*dx+dy*dy)/(2*sigma*sigma)) + 48*rng.Float64()
				img[y*cols+x] = uint8(min(v, 255))
			}
		}
	}
	return s
}
