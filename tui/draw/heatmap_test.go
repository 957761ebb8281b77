package draw

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/muesli/termenv"
)

// TestKernelShades checks the diverging NO_COLOR ramp "≡=- +*#" on
// kernels whose largest |weight| is 0.5: w maps to ⌊7·(w+0.5)/1⌋, so the
// sign always shows and a weight near 0 is blank.
func TestKernelShades(t *testing.T) {
	pal := NewDivPalette(termenv.Ascii, true)
	for _, tt := range []struct {
		w    float32
		want string
	}{
		{-0.5, "≡"}, {-0.3, "="}, {-0.2, "-"}, {0, " "}, {0.06, " "}, {0.2, "+"}, {0.3, "*"}, {0.5, "#"},
	} {
		if got := pal.Render([]float32{tt.w}, 1, 1, 1, 1, -0.5, 0.5)[0]; got != tt.want {
			t.Errorf("kernel shade of %g on ±0.5 = %q, want %q", tt.w, got, tt.want)
		}
	}
}

// sgrColours are the 256-colour indices that the SGR sequences of s set,
// in order, foreground and background alike; a true-colour or 16-colour
// sequence fails t.
func sgrColours(t *testing.T, s string) []int {
	t.Helper()
	var out []int
	for _, m := range regexp.MustCompile(`\x1b\[([0-9;]*)m`).FindAllStringSubmatch(s, -1) {
		ps := strings.Split(m[1], ";")
		for i := 0; i < len(ps); i++ {
			switch ps[i] {
			case "0", "":
			case "38", "48":
				if i+2 >= len(ps) || ps[i+1] != "5" {
					t.Fatalf("SGR %q is not a 256-colour index", m[1])
				}
				n, _ := strconv.Atoi(ps[i+2])
				out, i = append(out, n), i+2
			default:
				t.Fatalf("SGR %q sets %s, want 256-colour indices only", m[1], ps[i])
			}
		}
	}
	return out
}

// lightness is CIE L* (0–100) of the colour of 256-colour index i.
func lightness(i int) float64 {
	rgb := xtermRGB(i)
	lin := func(v float64) float64 {
		v /= 255
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	y := 0.2126*lin(rgb[0]) + 0.7152*lin(rgb[1]) + 0.0722*lin(rgb[2])
	if y <= 216.0/24389 {
		return y * 24389 / 27
	}
	return 116*math.Cbrt(y) - 16
}

// TestPalette256 renders the heat and the diverging palette and their
// legends (the strips the maps and kernels captions draw) under
// termenv.ANSI256, as in tmux with its default TERM, and checks that every
// colour a cell is drawn in is one the legend shows, that the legend shows
// each colour once, that the heat scale rises in lightness at every step
// from a colour that is no grey, and that the dim scale never darkens.
func TestPalette256(t *testing.T) {
	// ramp is an h×w map of values evenly from 0 to 1, row by row.
	ramp := func(h, w int) []float32 {
		vs := make([]float32, h*w)
		for i := range vs {
			vs[i] = float32(i) / float32(len(vs)-1)
		}
		return vs
	}
	for _, tt := range []struct {
		name    string
		pal     Palette
		strip   int // the width the caption asks for
		rising  bool
		lo, hi  float64
		levels  int
		darkest int // the index of the lowest value
	}{
		{"heat", NewHeatPalette(termenv.ANSI256, false), 6, true, 0, 1, len(viridis256), 53},
		{"diverging", NewDivPalette(termenv.ANSI256, false), 7, false, -1, 1, len(diverging), 153},
	} {
		t.Run(tt.name, func(t *testing.T) {
			legend := sgrColours(t, tt.pal.Strip(tt.strip))
			shown := map[int]bool{}
			var order []int
			for i := 0; i < len(legend); i += 2 { // each strip cell: fg then bg, both its level
				if legend[i] != legend[i+1] {
					t.Errorf("strip cell %d is %d over %d, want one colour", i/2, legend[i], legend[i+1])
				}
				if shown[legend[i]] {
					t.Errorf("strip shows colour %d twice: %v", legend[i], legend)
				}
				shown[legend[i]] = true
				order = append(order, legend[i])
			}
			if len(order) != tt.levels || order[0] != tt.darkest {
				t.Errorf("Strip(%d) colours = %v, want %d levels from %d", tt.strip, order, tt.levels, tt.darkest)
			}
			for _, sz := range [][4]int{{16, 16, 16, 8}, {28, 28, 9, 5}, {1, 200, 37, 1}, {64, 1, 1, 32}} {
				vals := ramp(sz[0], sz[1])
				for i := range vals {
					vals[i] = float32(tt.lo + (tt.hi-tt.lo)*float64(vals[i]))
				}
				lines := tt.pal.Render(vals, sz[0], sz[1], sz[2], sz[3], tt.lo, tt.hi)
				for _, c := range sgrColours(t, strings.Join(lines, "\n")) {
					if !shown[c] {
						t.Errorf("Render(%v) draws colour %d (#%02X%02X%02X), not in the legend %v", sz, c, int(xtermRGB(c)[0]), int(xtermRGB(c)[1]), int(xtermRGB(c)[2]), order)
					}
				}
			}
			if !tt.rising {
				return
			}
			for i := 1; i < len(order); i++ {
				if a, b := lightness(order[i-1]), lightness(order[i]); b <= a {
					t.Errorf("heat level %d (colour %d) has L* %.1f ≤ %.1f of level %d (colour %d)", i, order[i], b, a, i-1, order[i-1])
				}
			}
			if rgb := xtermRGB(order[0]); rgb[0] == rgb[1] && rgb[1] == rgb[2] {
				t.Errorf("the darkest heat colour %d is a grey", order[0])
			}
			for i := 1; i < len(tt.pal.dimFg); i++ {
				var a, b int
				fmt.Sscanf(tt.pal.dimFg[i-1], "38;5;%d", &a)
				fmt.Sscanf(tt.pal.dimFg[i], "38;5;%d", &b)
				if a < 232 || b < a {
					t.Errorf("dim levels %d, %d are colours %d, %d, want greys (232–255) that never darken", i-1, i, a, b)
				}
			}
		})
	}
}

// TestXterm checks xtermIndex and xtermRGB against each other on all 240
// colours of the cube and the grey ramp, and that a colour of neither has
// no index.
func TestXterm(t *testing.T) {
	for i := 16; i < 256; i++ {
		if got := xtermIndex(xtermRGB(i)); got != i {
			t.Errorf("xtermIndex(xtermRGB(%d) = %v) = %d, want %d", i, xtermRGB(i), got, i)
		}
	}
	for _, c := range [][3]float64{{0x44, 0x01, 0x54}, {0x30, 0x30, 0x31}, {0x0A, 0x0A, 0x0A}} {
		if got := xtermIndex(c); got != -1 {
			t.Errorf("xtermIndex(%v) = %d, want -1", c, got)
		}
	}
}
