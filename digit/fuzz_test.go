package digit

import (
	"errors"
	"testing"
)

// FuzzPrepare: any picture, of any size and content, gives an MNIST image
// whose ink fits the 20×20 box, or one of Prepare's errors; never a panic.
func FuzzPrepare(f *testing.F) {
	f.Add([]byte{0, 0, 0, 255}, uint8(2))
	f.Add(make([]byte, 64), uint8(8))
	seed := make([]byte, 100)
	seed[55] = 255
	f.Add(seed, uint8(10))
	f.Fuzz(func(t *testing.T, data []byte, w uint8) {
		if w == 0 || len(data) < int(w) {
			return
		}
		h := len(data) / int(w)
		pixels := make([]float64, int(w)*h)
		for i := range pixels {
			pixels[i] = float64(data[i]) / 255
		}
		out, err := Prepare(pixels, int(w), h)
		if err != nil {
			if !errors.Is(err, ErrTooSmall) && !errors.Is(err, ErrBlank) {
				t.Fatalf("Prepare(%d×%d) = %v, want ErrTooSmall or ErrBlank", w, h, err)
			}
			return
		}
		if len(out) != Size*Size {
			t.Fatalf("Prepare(%d×%d) gave %d pixels, want %d", w, h, len(out), Size*Size)
		}
		x0, y0, x1, y1 := Size, Size, -1, -1
		for i, v := range out {
			if v > 0 {
				x, y := i%Size, i/Size
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			}
		}
		if x1 < 0 || x1-x0 >= Box || y1-y0 >= Box {
			t.Fatalf("Prepare(%d×%d): ink spans %d×%d, want some, within %d×%d", w, h, x1-x0+1, y1-y0+1, Box, Box)
		}
	})
}
