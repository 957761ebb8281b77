package digit

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// picture is a w×h picture of background bg with the cells ink(x, y)
// returns a level for set to it.
func picture(w, h int, bg float64, ink func(x, y int) (float64, bool)) []float64 {
	p := make([]float64, w*h)
	for y := range h {
		for x := range w {
			p[y*w+x] = bg
			if v, ok := ink(x, y); ok {
				p[y*w+x] = v
			}
		}
	}
	return p
}

// field is the expected Size×Size output: 0 except at the cells want
// gives a level for.
func field(want func(x, y int) (uint8, bool)) []uint8 {
	f := make([]uint8, Size*Size)
	for y := range Size {
		for x := range Size {
			if v, ok := want(x, y); ok {
				f[y*Size+x] = v
			}
		}
	}
	return f
}

func rect(x0, y0, w, h int, v float64) func(x, y int) (float64, bool) {
	return func(x, y int) (float64, bool) { return v, x >= x0 && x < x0+w && y >= y0 && y < y0+h }
}

func block(x0, y0, w, h int, v uint8) func(x, y int) (uint8, bool) {
	return func(x, y int) (uint8, bool) { return v, x >= x0 && x < x0+w && y >= y0 && y < y0+h }
}

// show draws a field for a failure message.
func show(f []uint8) string {
	var b strings.Builder
	for y := range Size {
		for x := range Size {
			fmt.Fprintf(&b, "%4d", f[y*Size+x])
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// The expected fields are worked by hand: a uniform block of n pixels has
// its centre of mass at (n−1)/2, so a 20-pixel side lands at
// round(14 − 9.5) = 5 (half rounds away from zero), cells 5–24.
func TestPrepare(t *testing.T) {
	for _, tt := range []struct {
		name string
		pic  []float64
		w, h int
		want []uint8
	}{
		{"a single bright pixel fills the 20×20 box at the centre",
			picture(10, 10, 0, rect(3, 6, 1, 1, 1)), 10, 10, field(block(5, 5, 20, 20, 255))},
		{"a 4×8 rectangle keeps its aspect: 10×20, x mass 4.5 → from 10",
			picture(16, 16, 0, rect(5, 2, 4, 8, 1)), 16, 16, field(block(10, 5, 10, 20, 255))},
		{"a 12×3 bar stays a bar: 20×5, y mass 2 → from 12",
			picture(30, 20, 0, rect(9, 4, 12, 3, 1)), 30, 20, field(block(5, 12, 20, 5, 255))},
		{"the same bar dark on white is inverted",
			picture(30, 20, 1, rect(9, 4, 12, 3, 0)), 30, 20, field(block(5, 12, 20, 5, 255))},
		{"dark grey ink on light grey paper: the paper is background, the ink full",
			picture(30, 20, 0.9, rect(9, 4, 12, 3, 0.3)), 30, 20, field(block(5, 12, 20, 5, 255))},
		// x mass (10·4.5 + 0.5·10·14.5)/15 = 7.83: from round(6.17) = 6.
		{"levels: ink at 0.5 of the strongest is 128 (round(127.5))",
			picture(30, 30, 0, func(x, y int) (float64, bool) {
				if x < 5 || x >= 25 || y < 5 || y >= 25 {
					return 0, false
				}
				if x < 15 {
					return 0.8, true
				}
				return 0.4, true
			}), 30, 30,
			field(func(x, y int) (uint8, bool) {
				if x < 6 || x >= 26 || y < 5 || y >= 25 {
					return 0, false
				}
				if x < 16 {
					return 255, true
				}
				return 128, true
			})},
		{"halving a 40×40 checkerboard averages each 2×2 to 0.5",
			picture(50, 50, 0, func(x, y int) (float64, bool) {
				return 1, x >= 5 && x < 45 && y >= 5 && y < 45 && (x+y)%2 == 0
			}), 50, 50, field(block(5, 5, 20, 20, 128))},
		// Columns ink, gap, ink scaled by 20/3: output column j covers
		// [0.15j, 0.15j+0.15); columns 6 and 13 straddle an edge, 0.10 of
		// 0.15 on ink: 2/3, 170.
		{"upscaling 3×3 ink-gap-ink grades the edges",
			picture(9, 9, 0, func(x, y int) (float64, bool) { return 1, y >= 2 && y < 5 && (x == 3 || x == 5) }), 9, 9,
			field(func(x, y int) (uint8, bool) {
				if y < 5 || y >= 25 || x < 5 || x >= 25 {
					return 0, false
				}
				switch j := x - 5; {
				case j == 6 || j == 13:
					return 170, true
				case j < 6 || j > 13:
					return 255, true
				}
				return 0, false
			})},
		// An L touching the picture's edge: a 20-tall stem at x 0 and a
		// 2-row foot, 58 pixels. Mass x 2·(1+…+19)/58 = 6.55: from 7; y
		// (0+…+19 + 19·18 + 19·19)/58 = 15.4, from round(−1.4) = −1, which
		// would cut the stem's top: clamped to 0.
		{"centring never pushes ink out of the field; ink on the edge is ink",
			picture(40, 40, 0, func(x, y int) (float64, bool) {
				return 1, (x == 0 && y < 20) || (y == 19 && x < 20) || (y == 18 && x < 20)
			}), 40, 40,
			field(func(x, y int) (uint8, bool) {
				return 255, (x == 7 && y < 20) || ((y == 18 || y == 19) && x >= 7 && x < 27)
			})},
	} {
		t.Run(tt.name, func(t *testing.T) {
			orig := append([]float64(nil), tt.pic...)
			got, err := Prepare(tt.pic, tt.w, tt.h)
			if err != nil {
				t.Fatalf("Prepare = %v", err)
			}
			if string(got) != string(tt.want) {
				t.Errorf("Prepare =\n%swant\n%s", show(got), show(tt.want))
			}
			if fmt.Sprint(orig) != fmt.Sprint(tt.pic) {
				t.Errorf("Prepare modified its input")
			}
		})
	}
}

func TestPrepareRejects(t *testing.T) {
	for _, tt := range []struct {
		name string
		pic  []float64
		w, h int
		want error
		msg  string
	}{
		{"1×1", []float64{0}, 1, 1, ErrTooSmall, "a 1×1 picture is too small to hold a digit: want at least 8×8 pixels"},
		{"7×40", make([]float64, 280), 7, 40, ErrTooSmall, "7×40"},
		{"white canvas", picture(28, 28, 1, rect(0, 0, 0, 0, 0)), 28, 28, ErrBlank, "blank"},
		{"black canvas", make([]float64, 784), 28, 28, ErrBlank, "blank"},
		{"grey canvas", picture(20, 20, 0.5, rect(0, 0, 0, 0, 0)), 20, 20, ErrBlank, "blank"},
		// Two specks 19,999 rows apart: each output pixel of the 1×20 fit
		// averages 1,000 rows, 1/1000 of ink, which rounds to 0.
		{"two specks far apart", picture(8, 20000, 0, func(x, y int) (float64, bool) {
			return 1, x == 3 && (y == 0 || y == 19999)
		}), 8, 20000, ErrBlank, "blank"},
		{"a smudge within the paper's noise", picture(20, 20, 0.9, func(x, y int) (float64, bool) {
			switch {
			case x == 0 || y == 0 || x == 19 || y == 19:
				return 0.9 + 0.05*float64((x+y)%2*2-1), true // border: ±0.05
			case x == 10 && y == 10:
				return 0.8, true // 0.1 darker: within 3 standard deviations
			}
			return 0, false
		}), 20, 20, ErrBlank, "blank"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Prepare(tt.pic, tt.w, tt.h)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Prepare = %v, want %v mentioning %q", err, tt.want, tt.msg)
			}
		})
	}
}

// TestMNISTIsAFixedPoint: MNIST's test digits were made this way, so
// preparing one again changes nothing but the strongest pixel's level (NIST
// ink was full black; some digits peak at 254, and Prepare stretches them
// to 255): every pixel within one grey level for nearly all of them.
func TestMNISTIsAFixedPoint(t *testing.T) {
	if testing.Short() {
		t.Skip("loads MNIST")
	}
	_, test, err := dataset.Open("mnist", "")
	if err != nil {
		t.Skipf("MNIST: %v", err)
	}
	close, far := 0, 0
	px := make([]float64, Size*Size)
	for i := range test.Count {
		img := test.Image(i)
		for j, p := range img {
			px[j] = float64(p) / 255
		}
		got, err := Prepare(px, Size, Size)
		if err != nil {
			t.Fatalf("test image %d: %v", i, err)
		}
		worst := 0
		for j := range got {
			worst = max(worst, int(got[j])-int(img[j]), int(img[j])-int(got[j]))
		}
		if worst <= 1 {
			close++
		} else if worst > 128 {
			far++
		}
	}
	t.Logf("%d of %d test digits within one grey level of themselves, %d moved", close, test.Count, far)
	if close < test.Count*99/100 {
		t.Errorf("%d of %d test digits come out within one grey level, want at least 99%%", close, test.Count)
	}
}
