package draw

import (
	"fmt"
	"math"
	"strings"

	"github.com/muesli/termenv"
)

// heatLevels is the number of colours of the heat scale.
const heatLevels = 32

// ASCIIRamp is the NO_COLOR heat scale, darkest first.
const ASCIIRamp = " .:-=+*#%@"

// divLevels is the number of colours of the diverging scale: odd, so that
// 0 has a colour of its own.
const divLevels = len(diverging)

// divRamp is the NO_COLOR diverging scale, most negative first: minus
// signs below zero, a blank around it, plus signs above.
const divRamp = "≡=- +*#"

// viridis is the perceptual colour scale of the heatmaps, low to high.
var viridis = [...][3]float64{
	{0x44, 0x01, 0x54}, {0x48, 0x28, 0x78}, {0x3E, 0x4A, 0x89}, {0x31, 0x68, 0x8E}, {0x26, 0x82, 0x8E},
	{0x1F, 0x9E, 0x89}, {0x35, 0xB7, 0x79}, {0x6D, 0xCD, 0x59}, {0xB4, 0xDE, 0x2C}, {0xFD, 0xE7, 0x25},
}

// viridis256 is viridis in colours of the 256-colour cube, low to high,
// one a step of lightness, for terminals without true colour (tmux's
// default): termenv would map the interpolated viridis onto the cube
// itself, the dark blue-violets onto a slate (#5F5F87) that is no step of
// the ramp, and 32 levels onto 12 colours of which a legend shows 6.
// These eight are each the cube colour nearest (CIEDE2000) a viridis
// colour, chosen so that CIE L* rises at every step (21, 28, 40, 51, 64,
// 77, 81, 87).
var viridis256 = [...][3]float64{
	{0x5F, 0x00, 0x5F}, {0x5F, 0x00, 0xAF}, {0x00, 0x5F, 0xAF}, {0x00, 0x87, 0x87},
	{0x00, 0xAF, 0x87}, {0x5F, 0xD7, 0x5F}, {0xAF, 0xD7, 0x00}, {0xFF, 0xD7, 0x00},
}

// diverging is the kernels' scale, most negative first: light to deep
// blue below zero, a dark grey at zero (like the terminal's background: a
// weight of 0 does nothing), deep to light orange above. The colours are
// those of the 256-colour cube, so that a terminal without true colour
// keeps their hues.
var diverging = [...][3]float64{
	{0xAF, 0xD7, 0xFF}, {0x5F, 0xAF, 0xFF}, {0x00, 0x87, 0xFF}, {0x00, 0x5F, 0xAF}, {0x30, 0x30, 0x30},
	{0xAF, 0x5F, 0x00}, {0xFF, 0x87, 0x00}, {0xFF, 0xAF, 0x5F}, {0xFF, 0xD7, 0xAF},
}

// Palette turns values in [0, 1] into cells: half blocks ('▀', the
// foreground is the upper pixel, the background the lower) in colour, or
// the characters of a ramp without colour. dim is the same scale as dark
// greys of its luminance, for what lies outside a highlight. In a
// 256-colour terminal the palette has one level per stop of a scale made
// of the terminal's own colours (exact), emitted as their indices, so that
// what is drawn is what the legend shows.
type Palette struct {
	ascii   bool
	exact   bool // 256 colours: every level a stop, the strip shows them all
	ramp    []rune
	fg, bg  []string // SGR parameters, e.g. "38;2;68;1;84"
	dimFg   []string
	dimBg   []string
	diverge bool // centred on zero: values are drawn with lo = −hi
}

// NewHeatPalette is viridis for profile p: 32 levels in true colour,
// the eight of viridis256 in 256 colours, ASCIIRamp without colour.
func NewHeatPalette(p termenv.Profile, noColor bool) Palette {
	if p == termenv.ANSI256 && !noColor {
		return newPalette256(viridis256[:], ASCIIRamp, false)
	}
	return newPalette(p, noColor, viridis[:], heatLevels, ASCIIRamp, false)
}

// NewDivPalette is the diverging scale for profile p, whose stops are
// colours of the 256-colour cube and greys already.
func NewDivPalette(p termenv.Profile, noColor bool) Palette {
	if p == termenv.ANSI256 && !noColor {
		return newPalette256(diverging[:], divRamp, true)
	}
	return newPalette(p, noColor, diverging[:], divLevels, divRamp, true)
}

// newPalette256 is a palette of one level per stop, each stop a colour of
// the 256-colour palette given by its index (not left to termenv, which
// maps greys such as #303030 onto near black), its dim the nearest grey of
// the 24-step grey ramp to dimGrey.
func newPalette256(stops [][3]float64, ramp string, diverge bool) Palette {
	hp := Palette{exact: true, ramp: []rune(ramp), diverge: diverge}
	for _, c := range stops {
		i := xtermIndex(c)
		if i < 0 {
			panic(fmt.Sprintf("draw: stop #%02X%02X%02X is not a colour of the 256-colour palette", int(c[0]), int(c[1]), int(c[2])))
		}
		g := int(math.Round((greyOf(c) - 8) / 10))
		d := 232 + max(0, min(23, g))
		hp.fg, hp.bg = append(hp.fg, fmt.Sprintf("38;5;%d", i)), append(hp.bg, fmt.Sprintf("48;5;%d", i))
		hp.dimFg, hp.dimBg = append(hp.dimFg, fmt.Sprintf("38;5;%d", d)), append(hp.dimBg, fmt.Sprintf("48;5;%d", d))
	}
	return hp
}

// cubeSteps are the six values of a channel in the 6×6×6 colour cube
// (indices 16–231); the 24 greys (232–255) are 8, 18, …, 238.
var cubeSteps = [6]float64{0x00, 0x5F, 0x87, 0xAF, 0xD7, 0xFF}

// xtermIndex is the index in the 256-colour palette of the colour rgb,
// in the cube (16–231) or the grey ramp (232–255), or −1 if it is in
// neither.
func xtermIndex(rgb [3]float64) int {
	if rgb[0] == rgb[1] && rgb[1] == rgb[2] {
		if g := rgb[0] - 8; g >= 0 && g <= 230 && math.Mod(g, 10) == 0 {
			return 232 + int(g)/10
		}
	}
	i := 0
	for _, v := range rgb {
		k := -1
		for j, s := range cubeSteps {
			if v == s {
				k = j
			}
		}
		if k < 0 {
			return -1
		}
		i = 6*i + k
	}
	return 16 + i
}

// xtermRGB is the colour of index i (16–255) of the 256-colour palette.
func xtermRGB(i int) [3]float64 {
	if i >= 232 {
		g := float64(8 + 10*(i-232))
		return [3]float64{g, g, g}
	}
	i -= 16
	return [3]float64{cubeSteps[i/36], cubeSteps[i/6%6], cubeSteps[i%6]}
}

// newPalette interpolates n colours along stops, or falls back to ramp
// without colour.
func newPalette(p termenv.Profile, noColor bool, stops [][3]float64, n int, ramp string, diverge bool) Palette {
	hp := Palette{ascii: noColor || p == termenv.Ascii, ramp: []rune(ramp), diverge: diverge}
	if hp.ascii {
		return hp
	}
	for i := range n {
		t := float64(i) / float64(n-1)
		c, d := p.Color(interpolate(stops, t, 1)), p.Color(dimGrey(stops, t))
		if c == nil || d == nil {
			return Palette{ascii: true, ramp: hp.ramp, diverge: diverge}
		}
		hp.fg, hp.bg = append(hp.fg, c.Sequence(false)), append(hp.bg, c.Sequence(true))
		hp.dimFg, hp.dimBg = append(hp.dimFg, d.Sequence(false)), append(hp.dimBg, d.Sequence(true))
	}
	return hp
}

// dimGrey is the colour at t along stops as a dark grey of its
// luminance: what lies outside a highlight keeps its shape but loses its
// colour (a dimmed hue would land on odd colours of the 256-colour cube).
func dimGrey(stops [][3]float64, t float64) string {
	var rgb [3]int
	fmt.Sscanf(interpolate(stops, t, 1), "#%02X%02X%02X", &rgb[0], &rgb[1], &rgb[2])
	g := int(math.Round(greyOf([3]float64{float64(rgb[0]), float64(rgb[1]), float64(rgb[2])})))
	return fmt.Sprintf("#%02X%02X%02X", g, g, g)
}

// greyOf is the value (0–255) of the dark grey standing for rgb outside a
// highlight: 18% plus 40% of its luminance.
func greyOf(rgb [3]float64) float64 {
	return 0.18*255 + 0.4*(0.2126*rgb[0]+0.7152*rgb[1]+0.0722*rgb[2])
}

// levels is the number of steps of the scale.
func (p Palette) levels() int {
	if p.ascii {
		return len(p.ramp)
	}
	return len(p.fg)
}

// interpolate is the colour at t in [0, 1] along stops, times bright.
func interpolate(stops [][3]float64, t, bright float64) string {
	t = math.Max(0, math.Min(1, t))
	pos := t * float64(len(stops)-1)
	i := int(pos)
	if i >= len(stops)-1 {
		i = len(stops) - 2
	}
	f := pos - float64(i)
	var rgb [3]int
	for k := range 3 {
		rgb[k] = int(math.Round(bright * (stops[i][k]*(1-f) + stops[i+1][k]*f)))
	}
	return fmt.Sprintf("#%02X%02X%02X", rgb[0], rgb[1], rgb[2])
}

// Level maps v in [0, 1] (NaN counts as 0) to a palette index.
func Level(v float64, n int) int {
	if math.IsNaN(v) || v <= 0 {
		return 0
	}
	l := int(v * float64(n))
	if l >= n {
		l = n - 1
	}
	return l
}

// MinMax returns the range of the finite values of vs; (0, 0) if none.
func MinMax(vs []float32) (lo, hi float64) {
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

// Render draws the h×w map vals, normalised with lo..hi, as cols×rows
// cells; in colour each cell shows two pixels. Every line is exactly cols
// cells wide.
func (p Palette) Render(vals []float32, h, w, cols, rows int, lo, hi float64) []string {
	return p.RenderMasked(vals, h, w, cols, rows, lo, hi, nil)
}

// RenderMasked is Render with the pixels outside the rows r0..r1 and
// columns c0..c1 (half-open, of the h×w map) of lit drawn dim, or, without
// colour, the blank background inside lit drawn as '·' so that the
// rectangle shows. A nil lit lights everything.
func (p Palette) RenderMasked(vals []float32, h, w, cols, rows int, lo, hi float64, lit *[4]int) []string {
	lines := make([]string, rows)
	if cols <= 0 || rows <= 0 {
		return lines
	}
	inside := func(y, ny, x int) bool {
		if lit == nil {
			return true
		}
		y0, y1 := cellRange(y, h, ny)
		x0, x1 := cellRange(x, w, cols)
		return y0 < lit[1] && y1 > lit[0] && x0 < lit[3] && x1 > lit[2]
	}
	return p.cells(vals, h, w, cols, rows, lo, hi,
		func(x, y int, r rune) string {
			if lit != nil && r == ' ' && inside(y, rows, x) {
				r = '·'
			}
			return string(r)
		},
		func(x, y, top, bot int) string {
			fg, bg := p.fg[top], p.bg[bot]
			if !inside(2*y, 2*rows, x) {
				fg = p.dimFg[top]
			}
			if !inside(2*y+1, 2*rows, x) {
				bg = p.dimBg[bot]
			}
			return "\x1b[" + fg + ";" + bg + "m▀"
		})
}

// cells draws the h×w map vals, normalised with lo..hi, as cols×rows
// cells: without colour ascii(x, y, the ramp's character) for each, in
// colour colour(x, y, the levels of the upper and the lower pixel), each
// line then reset.
func (p Palette) cells(vals []float32, h, w, cols, rows int, lo, hi float64, ascii func(x, y int, r rune) string, colour func(x, y, top, bot int) string) []string {
	lines := make([]string, rows)
	n := p.levels()
	if p.ascii {
		px := resample(vals, h, w, rows, cols, lo, hi)
		for y := range rows {
			var b strings.Builder
			for x := range cols {
				b.WriteString(ascii(x, y, p.ramp[Level(px[y*cols+x], n)]))
			}
			lines[y] = b.String()
		}
		return lines
	}
	px := resample(vals, h, w, 2*rows, cols, lo, hi)
	for y := range rows {
		var b strings.Builder
		for x := range cols {
			b.WriteString(colour(x, y, Level(px[2*y*cols+x], n), Level(px[(2*y+1)*cols+x], n)))
		}
		b.WriteString("\x1b[0m")
		lines[y] = b.String()
	}
	return lines
}

// Strip draws the colour scale as a strip of n cells, low to high (or
// most negative to most positive); without colour, or in 256 colours,
// as one cell per level, so that every shade drawn is in the legend.
func (p Palette) Strip(n int) string {
	if p.ascii || p.exact {
		n = p.levels()
	}
	vals := make([]float32, n)
	for i := range vals {
		vals[i] = float32(i)
	}
	return p.Render(vals, 1, n, n, 1, 0, float64(n-1))[0]
}

// RenderMarked is Render with the cell (mx, my) showing mark instead (a
// pen over a canvas): in colour on the scale's brightest colour over dark
// values and its darkest over bright ones, so that it shows on either.
func (p Palette) RenderMarked(vals []float32, h, w, cols, rows int, lo, hi float64, mx, my int, mark string) []string {
	n := p.levels()
	return p.cells(vals, h, w, cols, rows, lo, hi,
		func(x, y int, r rune) string {
			if x == mx && y == my {
				return mark
			}
			return string(r)
		},
		func(x, y, top, bot int) string {
			if x == mx && y == my {
				bright := n - 1 // a bright mark over dark values, a dark one over bright
				if top+bot > n {
					bright = 0
				}
				return "\x1b[" + p.fg[bright] + ";" + p.bg[(top+bot)/2] + "m" + mark
			}
			return "\x1b[" + p.fg[top] + ";" + p.bg[bot] + "m▀"
		})
}

// LerpHex interpolates between two #RRGGBB colours at t in [0, 1].
func LerpHex(a, b string, t float64) string {
	var ca, cb [3]int
	fmt.Sscanf(a, "#%02x%02x%02x", &ca[0], &ca[1], &ca[2])
	fmt.Sscanf(b, "#%02x%02x%02x", &cb[0], &cb[1], &cb[2])
	var c [3]int
	for i := range c {
		c[i] = int(math.Round(float64(ca[i]) + t*float64(cb[i]-ca[i])))
	}
	return fmt.Sprintf("#%02X%02X%02X", c[0], c[1], c[2])
}
