package dataset

import (
	"math"
	"slices"
	"testing"
)

// ramp returns a rows×cols image whose pixels are all different: 1 + r·cols + c.
func ramp(rows, cols int) []float32 {
	img := make([]float32, rows*cols)
	for i := range img {
		img[i] = float32(1 + i)
	}
	return img
}

// TestWarpAffineHandWorked checks WarpAffine against images worked out by
// hand: pixel moves of whole rotations and shifts, and a half-pixel shift
// that bilinear sampling turns into the mean of two neighbours.
func TestWarpAffineHandWorked(t *testing.T) {
	const bg = -7
	const n = 5
	src := ramp(n, n)
	at := func(r, c int) float32 {
		if r < 0 || r >= n || c < 0 || c >= n {
			return bg
		}
		return src[r*n+c]
	}
	tests := []struct {
		name string
		p    AffineParams
		want func(r, c int) float32
	}{
		{"identity", AffineParams{Scale: 1}, at},
		// Counter-clockwise on screen, as numpy's rot90: the top row
		// becomes the left column, read upwards.
		{"rotate 90°", AffineParams{Rotate: 90, Scale: 1}, func(r, c int) float32 { return at(c, n-1-r) }},
		{"rotate 180°", AffineParams{Rotate: 180, Scale: 1}, func(r, c int) float32 { return at(n-1-r, n-1-c) }},
		{"rotate −90°", AffineParams{Rotate: -90, Scale: 1}, func(r, c int) float32 { return at(n-1-c, r) }},
		{"shift right 2, up 1", AffineParams{Scale: 1, ShiftX: 2, ShiftY: -1}, func(r, c int) float32 { return at(r+1, c-2) }},
		{"shift right ½", AffineParams{Scale: 1, ShiftX: 0.5}, func(r, c int) float32 { return (at(r, c-1) + at(r, c)) / 2 }},
		// Scaling by 2 about the centre (2, 2): output (r, c) comes from
		// (2 + (r−2)/2, 2 + (c−2)/2); at even offsets that is a pixel.
		{"scale 2, even offsets", AffineParams{Scale: 2}, func(r, c int) float32 {
			if (r-2)%2 != 0 || (c-2)%2 != 0 {
				return float32(math.NaN()) // checked below only where defined
			}
			return at(2+(r-2)/2, 2+(c-2)/2)
		}},
		// Shear: x += 1·y about the centre, so row r moves right by r−2.
		{"shear 1", AffineParams{Scale: 1, Shear: 1}, func(r, c int) float32 { return at(r, c-(r-2)) }},
	}
	dst := make([]float32, n*n)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			WarpAffine(dst, src, n, n, bg, tt.p)
			for r := range n {
				for c := range n {
					want := tt.want(r, c)
					if math.IsNaN(float64(want)) {
						continue
					}
					if got := dst[r*n+c]; math.Abs(float64(got-want)) > 1e-4 {
						t.Errorf("WarpAffine(%+v)[%d][%d] = %g, want %g", tt.p, r, c, got, want)
					}
				}
			}
		})
	}
}

func TestWarpAffineIdentityExact(t *testing.T) {
	src := ramp(28, 28)
	dst := make([]float32, len(src))
	WarpAffine(dst, src, 28, 28, 0, AffineParams{Scale: 1})
	if !slices.Equal(dst, src) {
		t.Errorf("WarpAffine(identity) changed the image")
	}
}

// TestWarpElastic checks that a constant displacement field is the shift
// it describes (the opposite way: output (r, c) reads (c + dx, r + dy)).
func TestWarpElastic(t *testing.T) {
	const n = 6
	src := ramp(n, n)
	dx, dy := make([]float32, n*n), make([]float32, n*n)
	for i := range dx {
		dx[i], dy[i] = -2, 1
	}
	got, want := make([]float32, n*n), make([]float32, n*n)
	WarpElastic(got, src, n, n, -1, dx, dy)
	WarpAffine(want, src, n, n, -1, AffineParams{Scale: 1, ShiftX: 2, ShiftY: -1})
	if !slices.Equal(got, want) {
		t.Errorf("WarpElastic(dx −2, dy 1) = %v, want the shift right 2, up 1: %v", got, want)
	}
}

// TestElasticAlphaZero: no displacement, the image unchanged.
func TestElasticAlphaZero(t *testing.T) {
	src := ramp(28, 28)
	dst := make([]float32, len(src))
	g := NewElasticAugmenter(Elastic{Alpha: 0, Sigma: 4}, 3)
	for key := range uint64(5) {
		g.Reseed(key)
		g.Apply(dst, src, 28, 28, 0)
		if !slices.Equal(dst, src) {
			t.Fatalf("elastic α=0, batch %d: the image changed", key)
		}
	}
}

func TestAffineZeroRangeIsIdentity(t *testing.T) {
	src := ramp(28, 28)
	dst := make([]float32, len(src))
	g := NewAffineAugmenter(Affine{}, 3)
	g.Apply(dst, src, 28, 28, 0)
	if !slices.Equal(dst, src) {
		t.Errorf("affine with a zero range changed the image")
	}
}

// TestAugmenterReproducible: a batch's distortions depend on the seed and
// the batch's key only, not on what the Augmenter drew before.
func TestAugmenterReproducible(t *testing.T) {
	src := blob(28, 28)
	for _, tt := range []struct {
		name string
		new  func(seed uint64) *Augmenter
	}{
		{"affine", func(seed uint64) *Augmenter { return NewAffineAugmenter(DefaultAffine, seed) }},
		{"elastic", func(seed uint64) *Augmenter { return NewElasticAugmenter(DefaultElastic, seed) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			draw := func(g *Augmenter, key uint64) []float32 {
				dst := make([]float32, len(src))
				g.Reseed(key)
				g.Apply(dst, src, 28, 28, 0)
				return dst
			}
			a, b := tt.new(1), tt.new(1)
			first := draw(a, 7)
			draw(b, 3) // another batch first
			if got := draw(b, 7); !slices.Equal(got, first) {
				t.Errorf("seed 1, batch 7 after batch 3 differs from batch 7 alone")
			}
			if got := draw(a, 8); slices.Equal(got, first) {
				t.Errorf("seed 1: batches 7 and 8 drew the same distortion")
			}
			if got := draw(tt.new(2), 7); slices.Equal(got, first) {
				t.Errorf("batch 7: seeds 1 and 2 drew the same distortion")
			}
			if got := draw(a, 7); slices.Equal(got, src) {
				t.Errorf("the distortion left the image as it was")
			}
		})
	}
}

// blob is a bright disc of radius 6 in the middle of a dark rows×cols
// image, in [0, 1]: a digit-like amount of ink well inside the frame.
func blob(rows, cols int) []float32 {
	img := make([]float32, rows*cols)
	for r := range rows {
		for c := range cols {
			dy, dx := float64(r)-float64(rows-1)/2, float64(c)-float64(cols-1)/2
			img[r*cols+c] = float32(min(1, max(0, 6.5-math.Hypot(dx, dy))))
		}
	}
	return img
}

// TestAugmentKeepsInk: distortions move ink around but keep about as much
// of it, on average over many draws.
func TestAugmentKeepsInk(t *testing.T) {
	src := blob(28, 28)
	var ink float64
	for _, v := range src {
		ink += float64(v)
	}
	for _, g := range []*Augmenter{NewAffineAugmenter(DefaultAffine, 5), NewElasticAugmenter(DefaultElastic, 5)} {
		dst := make([]float32, len(src))
		var sum float64
		const draws = 400
		for k := range uint64(draws) {
			g.Reseed(k)
			g.Apply(dst, src, 28, 28, 0)
			for _, v := range dst {
				sum += float64(v)
			}
		}
		if mean := sum / draws; math.Abs(mean/ink-1) > 0.03 {
			t.Errorf("%s: mean ink %.1f over %d draws, want %.1f ± 3%%", kind(g), mean, draws, ink)
		}
	}
}

func kind(g *Augmenter) string {
	if g.elastic != nil {
		return "elastic"
	}
	return "affine"
}

// TestElasticFieldStrength compares the displacements an elastic Augmenter
// draws with the strength Simard's recipe gives, worked out independently:
// uniform noise in [-1, 1] has variance 1/3, and a normalised separable
// Gaussian kernel k (1-D) scales it by (Σk²)² in 2-D, so each displacement
// has a standard deviation of α·√(1/3)·Σk². Neighbouring displacements must
// be strongly correlated (the field is smooth), distant ones not.
func TestElasticFieldStrength(t *testing.T) {
	e := Elastic{Alpha: 34, Sigma: 4}
	var sumK, sumK2 float64
	for k := -12; k <= 12; k++ {
		w := math.Exp(-float64(k*k) / (2 * e.Sigma * e.Sigma))
		sumK += w
		sumK2 += w * w
	}
	want := e.Alpha * math.Sqrt(1.0/3) * sumK2 / (sumK * sumK)

	g := NewElasticAugmenter(e, 11)
	d := make([]float32, 28*28)
	var sq, near, far float64
	const draws = 2000
	for k := range uint64(draws) {
		g.Reseed(k)
		g.field(d, 28, 28)
		for _, v := range d {
			sq += float64(v * v)
		}
		near += float64(d[14*28+14] * d[14*28+15])
		far += float64(d[2*28+2] * d[25*28+25])
	}
	variance := sq / (draws * 28 * 28)
	if got := math.Sqrt(variance); math.Abs(got/want-1) > 0.1 {
		t.Errorf("rms displacement = %.3f px, want %.3f ± 10%%", got, want)
	}
	// A Gaussian-smoothed field at one pixel apart: correlation
	// exp(−1/(4σ²)) ≈ 0.98; 23 px apart, ≈ 0.
	if c := near / draws / variance; c < 0.9 {
		t.Errorf("correlation of neighbours = %.2f, want > 0.9", c)
	}
	if c := far / draws / variance; math.Abs(c) > 0.15 {
		t.Errorf("correlation 23 px apart = %.2f, want about 0", c)
	}
}

func TestAugmenterApplyAllocs(t *testing.T) {
	src := blob(28, 28)
	dst := make([]float32, len(src))
	for _, g := range []*Augmenter{NewAffineAugmenter(DefaultAffine, 1), NewElasticAugmenter(DefaultElastic, 1)} {
		g.Apply(dst, src, 28, 28, 0) // sizes the scratch
		var key uint64
		allocs := testing.AllocsPerRun(50, func() {
			key++
			g.Reseed(key)
			g.Apply(dst, src, 28, 28, 0)
		})
		if allocs != 0 {
			t.Errorf("%s: AllocsPerRun(Reseed, Apply) = %v, want 0", kind(g), allocs)
		}
	}
}

func TestNewElasticAugmenterSigma(t *testing.T) {
	for _, sigma := range []float64{0, -1, 11, math.NaN()} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewElasticAugmenter(σ %g) did not panic", sigma)
				}
			}()
			NewElasticAugmenter(Elastic{Alpha: 34, Sigma: sigma}, 1)
		}()
	}
}

func BenchmarkAugment(b *testing.B) {
	src := blob(28, 28)
	dst := make([]float32, len(src))
	for _, g := range []*Augmenter{NewAffineAugmenter(DefaultAffine, 1), NewElasticAugmenter(DefaultElastic, 1)} {
		b.Run(kind(g), func(b *testing.B) {
			for i := range b.N {
				g.Reseed(uint64(i))
				g.Apply(dst, src, 28, 28, 0)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "img/s")
		})
	}
}
