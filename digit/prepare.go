package digit

import (
	"errors"
	"fmt"
	"image"
	"iter"
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
	return prepare(slicePicture{pixels: pixels, w: w}, w, h)
}

// PrepareImage is Prepare of FromImage(img), the same bytes, without
// holding img's grey levels: it reads them a row at a time, so that the
// memory it takes beyond img is a few rows, not 8 bytes a pixel.
func PrepareImage(img image.Image) ([]uint8, error) {
	b := img.Bounds()
	return prepare(imageRows{img: img}, b.Dx(), b.Dy())
}

// prepare is Prepare of the w×h picture p.
func prepare(p greyRows, w, h int) ([]uint8, error) {
	if w < MinSide || h < MinSide {
		return nil, fmt.Errorf("a %d×%d picture is %w: want at least %d×%d pixels", w, h, ErrTooSmall, MinSide, MinSide)
	}
	ink, ok := findInk(p, w, h)
	if !ok {
		return nil, ErrBlank
	}
	fw, fh := fitBox(ink.w, ink.h)
	fitted := resample(ink.row, ink.w, ink.h, fw, fh)
	out := place(fitted, fw, fh)
	if slices.Max(out) == 0 {
		return nil, ErrBlank // specks in a vast picture average to nothing
	}
	return out, nil
}

// greyRows is a greyscale picture read a row at a time: row returns row y's
// grey levels in [0, 1] (0 black), in buf (as long as a row) or in memory
// of its own that the caller must not change.
type greyRows interface {
	row(y int, buf []float64) []float64
}

// slicePicture is Prepare's picture: its pixels, w a row.
type slicePicture struct {
	pixels []float64
	w      int
}

func (p slicePicture) row(y int, _ []float64) []float64 { return p.pixels[y*p.w : (y+1)*p.w] }

// ink is the ink of a picture, read a row at a time: its bounding box
// (x0, y0, w, h) and, for a pixel of the picture, how far it stands out as
// ink.
type ink struct {
	p                        greyRows
	x0, y0, w, h             int
	invert                   bool
	bg, threshold, strongest float64
	buf, out                 []float64 // a row of the picture, and of the ink
}

// level is how far v stands out from the background as ink.
func (k *ink) level(v float64) float64 {
	if k.invert {
		v = 1 - v
	}
	return v - k.bg
}

// row is row y of the ink's bounding box as intensities in [0, 1] (1 the
// strongest ink); valid until the next call.
func (k *ink) row(y int) []float64 {
	src := k.p.row(k.y0+y, k.buf)[k.x0 : k.x0+k.w]
	for x, v := range src {
		k.out[x] = 0
		if d := k.level(v); d > k.threshold {
			k.out[x] = min(1, d/k.strongest)
		}
	}
	return k.out
}

// findInk finds the ink of the w×h picture p; false if there is none.
func findInk(p greyRows, w, h int) (*ink, bool) {
	buf := make([]float64, w)
	median, noise := borderStats(p, w, h, buf)
	k := &ink{p: p, invert: median > 0.5, bg: median, threshold: 3*noise + 0.5/255, buf: buf}
	if k.invert {
		k.bg = 1 - median
	}
	x0, y0, x1, y1 := w, h, -1, -1
	for y := range h {
		for x, v := range p.row(y, buf) {
			if d := k.level(v); d > k.threshold {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
				k.strongest = max(k.strongest, d)
			}
		}
	}
	if x1 < 0 {
		return nil, false
	}
	k.x0, k.y0, k.w, k.h = x0, y0, x1-x0+1, y1-y0+1
	k.out = make([]float64, k.w)
	return k, true
}

// borderStats is the median of the outermost pixels of p and their noise:
// the median absolute deviation from it, scaled by 1.4826 to estimate a
// standard deviation (for normal noise) that the ink among them does not
// inflate. buf holds a row.
func borderStats(p greyRows, w, h int, buf []float64) (median, noise float64) {
	border := make([]float64, 0, 2*(w+h))
	border = append(border, p.row(0, buf)...)
	border = append(border, p.row(h-1, buf)...)
	for y := 1; y < h-1; y++ {
		r := p.row(y, buf)
		border = append(border, r[0], r[w-1])
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

// resample scales the picture of sw×sh pixels whose rows src returns
// (each valid until the next call) to (dh, dw) by area averaging: each
// output pixel is the mean of the source area it covers, pixels cut by its
// edge counted by the fraction inside. The box filter is separable: rows
// first, then columns.
func resample(src func(y int) []float64, sw, sh, dw, dh int) []float64 {
	if sw == dw && sh == dh {
		out := make([]float64, 0, sw*sh)
		for y := range sh {
			out = append(out, src(y)...)
		}
		return out
	}
	rows := make([]float64, sh*dw) // (sh, dw)
	for y := range sh {
		row := src(y)
		for x := range dw {
			var v float64
			for i, w := range boxTaps(sw, dw, x) {
				v += w * row[i]
			}
			rows[y*dw+x] = v
		}
	}
	dst := make([]float64, dh*dw)
	for y := range dh {
		for x := range dw {
			var v float64
			for i, w := range boxTaps(sh, dh, y) {
				v += w * rows[i*dw+x]
			}
			dst[y*dw+x] = v
		}
	}
	return dst
}

// boxTaps maps n source pixels onto m output pixels and yields the source
// pixels output j covers with their weights: j covers the source interval
// [j·n/m, (j+1)·n/m), and each source pixel i weighs by its overlap with
// it, divided by the interval's length so the weights sum to 1.
func boxTaps(n, m, j int) iter.Seq2[int, float64] {
	return func(yield func(int, float64) bool) {
		scale := float64(n) / float64(m)
		lo, hi := float64(j)*scale, float64(j+1)*scale
		for i := int(lo); i < n && float64(i) < hi; i++ {
			if o := min(hi, float64(i+1)) - max(lo, float64(i)); o > 0 && !yield(i, o/scale) {
				return
			}
		}
	}
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
