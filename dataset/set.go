package dataset

import (
	"fmt"
	"math"
	"sync"
)

// Classes is the number of classes in MNIST and Fashion-MNIST.
const Classes = 10

// Set is one split held in memory as uint8 pixels.
type Set struct {
	Name   string  // e.g. "mnist/train"
	Images []uint8 // (Count, Rows, Cols) row-major
	Labels []uint8 // (Count)

	Count, Rows, Cols int
	Classes           int // labels are in [0, Classes)
	// Names are the classes' names by label (len Classes): MNIST's digits,
	// Fashion-MNIST's ten names, an image folder's class folders in sorted
	// order. Nil only for a set built in code; ClassName then gives numbers.
	Names []string
}

// Head returns a Set of the first n images of s (all of them if n ≥ Count),
// sharing its memory.
func (s *Set) Head(n int) *Set {
	h := *s
	h.Count = max(0, min(n, s.Count))
	h.Images = s.Images[:h.Count*s.Rows*s.Cols]
	h.Labels = s.Labels[:h.Count]
	return &h
}

// Image returns the Rows*Cols pixels of image i, aliasing Images. Its
// capacity ends with the image, so appending to it cannot overwrite the
// next one.
func (s *Set) Image(i int) []uint8 {
	n := s.Rows * s.Cols
	return s.Images[i*n : (i+1)*n : (i+1)*n]
}

// Fill converts image i through sc into the first Rows*Cols elements of
// dst. It panics if dst is shorter.
func (s *Set) Fill(dst []float32, i int, sc *Scale) {
	img := s.Image(i)
	if len(dst) < len(img) {
		panic(fmt.Sprintf("dataset: Set.Fill: len(dst) = %d, want >= %d", len(dst), len(img)))
	}
	dst = dst[:len(img)]
	for j, p := range img {
		dst[j] = sc[p]
	}
}

// PixelStats returns the mean and standard deviation of every pixel of the
// set, scaled to [0, 1]: what Standardize wants. For MNIST's training set they
// are MNISTMean and MNISTStd.
func (s *Set) PixelStats() (mean, std float32) {
	hist := histogram(s.Images)
	var n, sum, sumSq float64
	for p, c := range hist {
		v := float64(p) / 255
		n += float64(c)
		sum += float64(c) * v
		sumSq += float64(c) * v * v
	}
	if n == 0 {
		return 0, 1
	}
	m := sum / n
	return float32(m), float32(math.Sqrt(max(sumSq/n-m*m, 1e-12)))
}

// histogram counts the bytes of b. It is on the way of every run's start
// (47 MB for MNIST), so it splits b over two goroutines, each counting into
// four tables in turn: consecutive equal bytes (the background) would
// otherwise wait on each other's increment of one counter. The tables are
// uint32: each sees an eighth of b, far below 2³² for any set that fits in
// memory.
func histogram(b []byte) [256]int {
	var parts [2][4][256]uint32
	half := len(b) / 2
	var wg sync.WaitGroup
	for g, part := range [][]byte{b[:half], b[half:]} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := &parts[g]
			i := 0
			for ; i+4 <= len(part); i += 4 {
				h[0][part[i]]++
				h[1][part[i+1]]++
				h[2][part[i+2]]++
				h[3][part[i+3]]++
			}
			for ; i < len(part); i++ {
				h[0][part[i]]++
			}
		}()
	}
	wg.Wait()
	var hist [256]int
	for g := range parts {
		for k := range parts[g] {
			for p, c := range parts[g][k] {
				hist[p] += int(c)
			}
		}
	}
	return hist
}

// Scale maps a pixel byte to the float fed to the net; it is a lookup table
// indexed by the byte.
type Scale [256]float32

// Mean and standard deviation of the MNIST training pixels scaled to
// [0, 1], as used by PyTorch's MNIST example; pass them to Standardize.
const (
	MNISTMean = 0.1307
	MNISTStd  = 0.3081
)

// UnitScale maps pixel p to p/255, in [0, 1].
func UnitScale() Scale {
	return Standardize(0, 1)
}

// Standardize maps pixel p to (p/255 - mean) / std.
func Standardize(mean, std float32) Scale {
	var sc Scale
	for p := range sc {
		sc[p] = (float32(p)/255 - mean) / std
	}
	return sc
}
