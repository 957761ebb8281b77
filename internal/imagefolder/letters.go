package imagefolder

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
)

// point is a place in a letter's box: x to the right, y down, both in
// [0, 1].
type point struct{ x, y float64 }

// stroke is a pen line through its points.
type stroke []point

// arc is a stroke along the ellipse of centre (cx, cy) and radii (rx, ry)
// from angle a0 to a1 (degrees, clockwise on screen from 3 o'clock).
func arc(cx, cy, rx, ry, a0, a1 float64) stroke {
	var s stroke
	for i := 0; i <= 16; i++ {
		a := (a0 + (a1-a0)*float64(i)/16) * math.Pi / 180
		s = append(s, point{cx + rx*math.Cos(a), cy + ry*math.Sin(a)})
	}
	return s
}

// letters are the strokes of each letter Letters draws, by name.
var letters = map[string][]stroke{
	"A": {{{0, 1}, {0.5, 0}, {1, 1}}, {{0.25, 0.55}, {0.75, 0.55}}},
	"B": {{{0.1, 0}, {0.1, 1}},
		append(stroke{{0.1, 0}, {0.55, 0}}, append(arc(0.55, 0.25, 0.3, 0.25, -90, 90), point{0.1, 0.5})...),
		append(stroke{{0.1, 0.5}, {0.6, 0.5}}, append(arc(0.6, 0.75, 0.32, 0.25, -90, 90), point{0.1, 1})...)},
	"C": {arc(0.55, 0.5, 0.45, 0.5, -50, -310)},
	"D": {{{0.1, 0}, {0.1, 1}}, append(stroke{{0.1, 0}, {0.4, 0}}, append(arc(0.4, 0.5, 0.5, 0.5, -90, 90), point{0.1, 1})...)},
	"E": {{{0.9, 0}, {0.1, 0}, {0.1, 1}, {0.9, 1}}, {{0.1, 0.5}, {0.7, 0.5}}},
}

// LetterNames are the class folders Letters writes.
func LetterNames() []string {
	names := make([]string, 0, len(letters))
	for name := range letters {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Letters writes nTrain drawings of each letter (LetterNames) into
// dir/train/<letter>/ and nTest into dir/test/<letter>/ (none with 0), as
// PNG: a dark pen on white paper, each drawing of its own size (40 to 80
// pixels a side), pen width, slant, turn and place, drawn from seed.
func Letters(dir string, nTrain, nTest int, seed uint64) error {
	if err := fresh(dir); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, 0x1e77e5))
	for _, split := range []struct {
		name string
		n    int
	}{{"train", nTrain}, {"test", nTest}} {
		for _, name := range LetterNames() {
			for i := range split.n {
				path := filepath.Join(dir, split.name, name, fmt.Sprintf("%04d.png", i))
				if err := writePNG(path, drawLetter(letters[name], rng)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// drawLetter draws strokes as a person might: on a canvas of random size,
// the letter scaled to 55–85% of it, turned by up to ±10°, slanted by up
// to ±0.2, moved off centre by up to 10%, with a pen 3–8% of the canvas
// wide in a dark ink of random hue, over paper with a little noise.
func drawLetter(strokes []stroke, rng *rand.Rand) *image.NRGBA {
	side := 40 + rng.IntN(41)
	s := float64(side)
	size := s * (0.55 + 0.3*rng.Float64())
	turn := (rng.Float64()*20 - 10) * math.Pi / 180
	slant := rng.Float64()*0.4 - 0.2
	cx := s/2 + s*(rng.Float64()*0.2-0.1)
	cy := s/2 + s*(rng.Float64()*0.2-0.1)
	pen := s * (0.03 + 0.05*rng.Float64()) / 2 // half its width
	ink := color.NRGBA{uint8(rng.IntN(60)), uint8(rng.IntN(60)), uint8(40 + rng.IntN(100)), 255}
	place := func(p point) point {
		x, y := (p.x-0.5)*size*0.8, (p.y-0.5)*size // letters are taller than wide
		x += slant * -y
		return point{cx + x*math.Cos(turn) - y*math.Sin(turn), cy + x*math.Sin(turn) + y*math.Cos(turn)}
	}
	var segs [][2]point
	for _, st := range strokes {
		for i := 1; i < len(st); i++ {
			segs = append(segs, [2]point{place(st[i-1]), place(st[i])})
		}
	}
	img := image.NewNRGBA(image.Rect(0, 0, side, side))
	for y := range side {
		for x := range side {
			d := math.Inf(1)
			for _, sg := range segs {
				d = min(d, distance(point{float64(x) + 0.5, float64(y) + 0.5}, sg[0], sg[1]))
			}
			cover := min(1, max(0, pen+0.5-d)) // anti-aliased edge, a pixel wide
			paper := 245 + float64(rng.IntN(11))
			mix := func(c uint8) uint8 { return uint8(math.Round(paper*(1-cover) + float64(c)*cover)) }
			img.SetNRGBA(x, y, color.NRGBA{mix(ink.R), mix(ink.G), mix(ink.B), 255})
		}
	}
	return img
}

// distance is the distance of p from the segment ab.
func distance(p, a, b point) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = min(1, max(0, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l))
	}
	return math.Hypot(p.x-a.x-t*dx, p.y-a.y-t*dy)
}
