package tui

import (
	"fmt"
	"math"
	"strings"

	"github.com/muesli/termenv"
)

// heatLevels is the number of colours of the heat scale.
const heatLevels = 32

// asciiRamp is the NO_COLOR heat scale, darkest first.
const asciiRamp = " .:-=+*#%@"

// viridis is the perceptual colour scale of the heatmaps, low to high.
var viridis = [...][3]float64{
	{0x44, 0x01, 0x54}, {0x48, 0x28, 0x78}, {0x3E, 0x4A, 0x89}, {0x31, 0x68, 0x8E}, {0x26, 0x82, 0x8E},
	{0x1F, 0x9E, 0x89}, {0x35, 0xB7, 0x79}, {0x6D, 0xCD, 0x59}, {0xB4, 0xDE, 0x2C}, {0xFD, 0xE7, 0x25},
}

// heatPalette turns values in [0, 1] into cells: half blocks ('▀', the
// foreground is the upper pixel, the background the lower) in colour, or
// characters of asciiRamp without colour.
type heatPalette struct {
	ascii  bool
	fg, bg [heatLevels]string // SGR parameters, e.g. "38;2;68;1;84"
}

func newHeatPalette(p termenv.Profile, noColor bool) heatPalette {
	hp := heatPalette{ascii: noColor || p == termenv.Ascii}
	if hp.ascii {
		return hp
	}
	for i := range heatLevels {
		c := p.Color(viridisHex(float64(i) / (heatLevels - 1)))
		if c == nil {
			return heatPalette{ascii: true}
		}
		hp.fg[i] = c.Sequence(false)
		hp.bg[i] = c.Sequence(true)
	}
	return hp
}

// viridisHex interpolates the viridis scale at t in [0, 1].
func viridisHex(t float64) string {
	t = math.Max(0, math.Min(1, t))
	pos := t * float64(len(viridis)-1)
	i := int(pos)
	if i >= len(viridis)-1 {
		i = len(viridis) - 2
	}
	f := pos - float64(i)
	var rgb [3]int
	for k := range 3 {
		rgb[k] = int(math.Round(viridis[i][k]*(1-f) + viridis[i+1][k]*f))
	}
	return fmt.Sprintf("#%02X%02X%02X", rgb[0], rgb[1], rgb[2])
}

// level maps v in [0, 1] (NaN counts as 0) to a palette index.
func level(v float64, n int) int {
	if math.IsNaN(v) || v <= 0 {
		return 0
	}
	l := int(v * float64(n))
	if l >= n {
		l = n - 1
	}
	return l
}

// minMax returns the range of the finite values of vs; (0, 0) if none.
func minMax(vs []float32) (lo, hi float64) {
	first := true
	for _, v := range vs {
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		if first {
			lo, hi, first = f, f, false
			continue
		}
		lo, hi = math.Min(lo, f), math.Max(hi, f)
	}
	return lo, hi
}

// resample averages the h×w map vals (row-major) onto an oh×ow grid and
// normalises it to [0, 1] with lo..hi; a flat map becomes all zeros.
func resample(vals []float32, h, w, oh, ow int, lo, hi float64) []float64 {
	out := make([]float64, oh*ow) // (oh, ow)
	span := hi - lo
	for y := range oh {
		y0, y1 := cellRange(y, h, oh)
		for x := range ow {
			x0, x1 := cellRange(x, w, ow)
			var sum float64
			var n int
			for sy := y0; sy < y1; sy++ {
				for sx := x0; sx < x1; sx++ {
					f := float64(vals[sy*w+sx])
					if math.IsNaN(f) || math.IsInf(f, 0) {
						continue
					}
					sum += f
					n++
				}
			}
			if n > 0 && span > 0 {
				out[y*ow+x] = (sum/float64(n) - lo) / span
			}
		}
	}
	return out
}

// cellRange is the source index range [a, b) covered by output cell i of n
// over a source of size m; never empty.
func cellRange(i, m, n int) (a, b int) {
	a = i * m / n
	b = (i + 1) * m / n
	if b <= a {
		b = a + 1
	}
	if b > m {
		a, b = m-1, m
	}
	return a, b
}

// render draws the h×w map vals, normalised with lo..hi, as cols×rows
// cells; in colour each cell shows two pixels. Every line is exactly cols
// cells wide.
func (p heatPalette) render(vals []float32, h, w, cols, rows int, lo, hi float64) []string {
	lines := make([]string, rows)
	if cols <= 0 || rows <= 0 {
		return lines
	}
	if p.ascii {
		px := resample(vals, h, w, rows, cols, lo, hi)
		for y := range rows {
			var b strings.Builder
			for x := range cols {
				b.WriteByte(asciiRamp[level(px[y*cols+x], len(asciiRamp))])
			}
			lines[y] = b.String()
		}
		return lines
	}
	px := resample(vals, h, w, 2*rows, cols, lo, hi)
	for y := range rows {
		var b strings.Builder
		for x := range cols {
			top := level(px[2*y*cols+x], heatLevels)
			bot := level(px[(2*y+1)*cols+x], heatLevels)
			b.WriteString("\x1b[" + p.fg[top] + ";" + p.bg[bot] + "m▀")
		}
		b.WriteString("\x1b[0m")
		lines[y] = b.String()
	}
	return lines
}

// scale draws the colour scale as a strip of n cells, low to high.
func (p heatPalette) scale(n int) string {
	vals := make([]float32, n)
	for i := range vals {
		vals[i] = float32(i)
	}
	return p.render(vals, 1, n, n, 1, 0, float64(n-1))[0]
}
