package digit

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// The geometry of an MNIST image.
const (
	Size = 28 // the side of the field, in pixels
	Box  = 20 // the side of the box the ink is fitted into
	// MinSide is the smallest width and height Prepare takes: a smaller
	// picture has no room for a digit inside a border of background.
	MinSide = 8
)

// Errors of Prepare; the error returned wraps one of them with the numbers.
var (
	ErrTooSmall = errors.New("too small to hold a digit")
	ErrBlank    = errors.New("blank: nothing stands out from the background as ink")
)

// Prepare turns a greyscale picture — pixels (h, w) row-major, each a grey
// level in [0, 1], 0 black — into an MNIST image: Size×Size bytes, ink 255
// on background 0.
//
//  1. The background is the median of the border pixels (a median, not a
//     mean, so that ink touching the edge of a tightly cropped photo does
//     not shift it); a light one (over ½) means dark ink, and the picture
//     is inverted.
//  2. Ink is what stands out from the background by more than three
//     standard deviations of the border's noise (estimated robustly, from
//     its median absolute deviation) and half a grey level; the rest
//     becomes background. The ink is stretched so its strongest
//     pixel is 255, as NIST's bilevel scans were full black.
//  3. The picture is cropped to the ink's bounding box, which is fitted
//     into Box×Box keeping its aspect ratio by area averaging.
//  4. It is placed in the Size×Size field with its centre of mass on the
//     field's centre (pixel 14, 14 counted from 0 — where MNIST's training
//     digits have theirs on average), moved only as far as keeps every
//     ink pixel inside the field.
func Prepare(pixels []float64, w, h int) ([]uint8, error) {
	if w <= 0 || h <= 0 || len(pixels) != w*h {
		panic(fmt.Sprintf("digit: Prepare: %d pixels for a %d×%d picture", len(pixels), w, h))
	}
	if w < MinSide || h < MinSide {
		return nil, fmt.Errorf("a %d×%d picture is %w: want at least %d×%d pixels", w, h, ErrTooSmall, MinSide, MinSide)
	}
	ink, bw, bh := extractInk(pixels, w, h)
	if ink == nil {
		return nil, ErrBlank
	}
	fw, fh := fitBox(bw, bh)
	fitted := resample(ink, bw, bh, fw, fh)
	out := place(fitted, fw, fh)
	if slices.Max(out) == 0 {
		return nil, ErrBlank // specks in a vast picture average to nothing
	}
	return out, nil
}

// extractInk returns the ink of the picture as intensities in [0, 1] (1 the
// strongest ink) cropped to its bounding box of bw×bh pixels; nil if there
// is none.
func extractInk(pixels []float64, w, h int) (ink []float64, bw, bh int) {
	median, noise := borderStats(pixels, w, h)
	invert := median > 0.5
	bg := median
	if invert {
		bg = 1 - median
	}
	level := func(v float64) float64 { // how far v stands out as ink
		if invert {
			v = 1 - v
		}
		return v - bg
	}
	threshold := 3*noise + 0.5/255
	x0, y0, x1, y1 := w, h, -1, -1
	strongest := 0.0
	for y := range h {
		for x, v := range pixels[y*w : (y+1)*w] {
			if d := level(v); d > threshold {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
				strongest = max(strongest, d)
			}
		}
	}
	if x1 < 0 {
		return nil, 0, 0
	}
	bw, bh = x1-x0+1, y1-y0+1
	ink = make([]float64, bw*bh)
	for y := range bh {
		for x := range bw {
			if d := level(pixels[(y0+y)*w+x0+x]); d > threshold {
				ink[y*bw+x] = min(1, d/strongest)
			}
		}
	}
	return ink, bw, bh
}

// borderStats is the median of the outermost pixels and their noise: the
// median absolute deviation from it, scaled by 1.4826 to estimate a
// standard deviation (for normal noise) that the ink among them does not
// inflate.
func borderStats(pixels []float64, w, h int) (median, noise float64) {
	border := make([]float64, 0, 2*(w+h))
	border = append(border, pixels[:w]...)
	border = append(border, pixels[(h-1)*w:]...)
	for y := 1; y < h-1; y++ {
		border = append(border, pixels[y*w], pixels[y*w+w-1])
	}
	median = medianOf(border)
	for i, v := range border {
		border[i] = math.Abs(v - median)
	}
	return median, 1.4826 * medianOf(border)
}

// medianOf sorts v and returns its median.
func medianOf(v []float64) float64 {
	slices.Sort(v)
	n := len(v)
	return (v[(n-1)/2] + v[n/2]) / 2
}

// fitBox is the size of a bw×bh picture scaled so its longer side is Box,
// each side at least one pixel.
func fitBox(bw, bh int) (fw, fh int) {
	s := float64(Box) / float64(max(bw, bh))
	return max(1, int(math.Round(float64(bw)*s))), max(1, int(math.Round(float64(bh)*s)))
}

// resample scales src (sh, sw) to (dh, dw) by area averaging: each output
// pixel is the mean of the source area it covers, pixels cut by its edge
// counted by the fraction inside. The box filter is separable: rows first,
// then columns.
func resample(src []float64, sw, sh, dw, dh int) []float64 {
	if sw == dw && sh == dh {
		return append([]float64(nil), src...)
	}
	wx, wy := boxWeights(sw, dw), boxWeights(sh, dh)
	rows := make([]float64, sh*dw) // (sh, dw)
	for y := range sh {
		for x, taps := range wx {
			var v float64
			for _, t := range taps {
				v += t.w * src[y*sw+t.i]
			}
			rows[y*dw+x] = v
		}
	}
	dst := make([]float64, dh*dw)
	for y, taps := range wy {
		for x := range dw {
			var v float64
			for _, t := range taps {
				v += t.w * rows[t.i*dw+x]
			}
			dst[y*dw+x] = v
		}
	}
	return dst
}

// tap is a source pixel and its weight in an output pixel.
type tap struct {
	i int
	w float64
}

// boxWeights maps n source pixels onto m output pixels: output j covers the
// source interval [j·n/m, (j+1)·n/m), and each source pixel i weighs by its
// overlap with it, divided by the interval's length so the weights sum to 1.
func boxWeights(n, m int) [][]tap {
	scale := float64(n) / float64(m)
	out := make([][]tap, m)
	for j := range out {
		lo, hi := float64(j)*scale, float64(j+1)*scale
		for i := int(lo); i < n && float64(i) < hi; i++ {
			if o := min(hi, float64(i+1)) - max(lo, float64(i)); o > 0 {
				out[j] = append(out[j], tap{i: i, w: o / scale})
			}
		}
	}
	return out
}

// centre is where place puts the centre of mass, in pixel indices.
const centre = 14.0

// place puts the fitted ink (fh, fw) into the Size×Size field, its centre of
// mass on the centre (rounded to whole pixels, a half up: the sums of a
// symmetric shape land on either side of it by rounding), the shift
// clamped so the ink stays inside, and quantises it to bytes.
func place(ink []float64, fw, fh int) []uint8 {
	var mass, mx, my float64
	for y := range fh {
		for x, v := range ink[y*fw : (y+1)*fw] {
			mass, mx, my = mass+v, mx+v*float64(x), my+v*float64(y)
		}
	}
	shift := func(c float64) int { return int(math.Floor(centre - c + 0.5 + 1e-9)) }
	ox := clamp(shift(mx/mass), 0, Size-fw)
	oy := clamp(shift(my/mass), 0, Size-fh)
	out := make([]uint8, Size*Size)
	for y := range fh {
		for x, v := range ink[y*fw : (y+1)*fw] {
			out[(oy+y)*Size+ox+x] = uint8(math.Round(255 * min(1, max(0, v))))
		}
	}
	return out
}

func clamp(v, lo, hi int) int { return min(max(v, lo), hi) }
