package dataset

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Affine is the range of a random affine distortion: each image is rotated
// by an angle uniform in ±Rotate degrees, scaled by a factor uniform in
// 1±Scale, sheared horizontally by a factor uniform in ±Shear, and shifted
// by up to ±Shift pixels along each axis, all drawn independently. LeCun et
// al. 1998 trained on such distortions (0.95% → 0.8% test error).
type Affine struct {
	Rotate, Scale, Shear, Shift float64
}

// DefaultAffine is the usual range for MNIST: ±12°, ±10%, ±0.15 shear,
// ±2.5 px.
var DefaultAffine = Affine{Rotate: 12, Scale: 0.10, Shear: 0.15, Shift: 2.5}

// Elastic is an elastic distortion after Simard, Steinkraus and Platt 2003:
// a displacement field of uniform noise in [-1, 1] per pixel and axis,
// smoothed by a Gaussian of standard deviation Sigma pixels and scaled by
// Alpha pixels.
type Elastic struct {
	Alpha, Sigma float64
}

// DefaultElastic is the paper's α = 34, σ = 4 for MNIST-sized digits: a
// displacement of about 1.4 px root mean square that bends strokes without
// breaking them.
var DefaultElastic = Elastic{Alpha: 34, Sigma: 4}

// AffineParams is one affine distortion, about the image's centre: x
// scaled by Scale, then sheared (x += Shear·y), then rotated by Rotate
// degrees counter-clockwise as seen on screen, then shifted by (ShiftX,
// ShiftY) pixels (y down). The zero value with Scale 1 is the identity.
type AffineParams struct {
	Rotate, Scale, Shear, ShiftX, ShiftY float64
}

// WarpAffine writes into dst the image src, (rows, cols), distorted by p
// and sampled bilinearly; pixels that come from outside src take
// background. It panics if src or dst is shorter than rows*cols or p.Scale
// is 0.
func WarpAffine(dst, src []float32, rows, cols int, background float32, p AffineParams) {
	checkWarp("WarpAffine", dst, src, rows, cols)
	if p.Scale == 0 {
		panic("dataset: WarpAffine: Scale = 0")
	}
	// Output pixel u (relative to the centre, minus the shift) comes from
	// S⁻¹·Sh⁻¹·R⁻¹·u: R⁻¹ = [[cos, −sin], [sin, cos]] on screen
	// coordinates (y down), Sh⁻¹ = [[1, −sh], [0, 1]], S⁻¹ = 1/s.
	sin, cos := math.Sincos(p.Rotate * math.Pi / 180)
	m00, m01 := (cos-p.Shear*sin)/p.Scale, (-sin-p.Shear*cos)/p.Scale
	m10, m11 := sin/p.Scale, cos/p.Scale
	cx, cy := float64(cols-1)/2, float64(rows-1)/2
	for r := range rows {
		v := float64(r) - cy - p.ShiftY
		u := -cx - p.ShiftX
		sx, sy := m00*u+m01*v+cx, m10*u+m11*v+cy
		row := dst[r*cols : (r+1)*cols]
		for c := range row {
			// bilinear, inlined: most of the time goes here.
			x0, y0 := int(sx+1)-1, int(sy+1)-1 // ⌊sx⌋, ⌊sy⌋ when > −1
			if sx > 0 && sy > 0 && x0+1 < cols && y0+1 < rows {
				ax, ay := float32(sx-float64(x0)), float32(sy-float64(y0))
				i := y0*cols + x0
				top := src[i] + ax*(src[i+1]-src[i])
				bottom := src[i+cols] + ax*(src[i+cols+1]-src[i+cols])
				row[c] = top + ay*(bottom-top)
			} else {
				row[c] = bilinear(src, rows, cols, background, sx, sy)
			}
			sx += m00
			sy += m10
		}
	}
}

// WarpElastic writes into dst the image src, (rows, cols), with output
// pixel (r, c) sampled bilinearly at (c + dx[r*cols+c], r + dy[r*cols+c]);
// pixels that come from outside src take background. It panics if a slice
// is shorter than rows*cols.
func WarpElastic(dst, src []float32, rows, cols int, background float32, dx, dy []float32) {
	checkWarp("WarpElastic", dst, src, rows, cols)
	if len(dx) < rows*cols || len(dy) < rows*cols {
		panic(fmt.Sprintf("dataset: WarpElastic: len(dx), len(dy) = %d, %d, want >= %d", len(dx), len(dy), rows*cols))
	}
	for r := range rows {
		for c := range cols {
			i := r*cols + c
			sx, sy := float32(c)+dx[i], float32(r)+dy[i]
			// bilinear, inlined as in WarpAffine.
			x0, y0 := int(sx+1)-1, int(sy+1)-1
			if sx > 0 && sy > 0 && x0+1 < cols && y0+1 < rows {
				ax, ay := sx-float32(x0), sy-float32(y0)
				j := y0*cols + x0
				top := src[j] + ax*(src[j+1]-src[j])
				bottom := src[j+cols] + ax*(src[j+cols+1]-src[j+cols])
				dst[i] = top + ay*(bottom-top)
			} else {
				dst[i] = bilinear(src, rows, cols, background, float64(sx), float64(sy))
			}
		}
	}
}

func checkWarp(name string, dst, src []float32, rows, cols int) {
	if rows < 1 || cols < 1 || len(dst) < rows*cols || len(src) < rows*cols {
		panic(fmt.Sprintf("dataset: %s: len(dst), len(src) = %d, %d, want >= %d×%d", name, len(dst), len(src), rows, cols))
	}
}

// bilinear samples src, (rows, cols), at column x and row y, with
// background outside.
func bilinear(src []float32, rows, cols int, background float32, x, y float64) float32 {
	// Far outside (and NaN) is background; the bound keeps the int
	// conversion below in range, and as x, y > −1, int(x+1)−1 is ⌊x⌋.
	if !(x > -1 && x < float64(cols) && y > -1 && y < float64(rows)) {
		return background
	}
	x0, y0 := int(x+1)-1, int(y+1)-1
	ax, ay := float32(x-float64(x0)), float32(y-float64(y0))
	var p00, p01, p10, p11 float32
	if x0 >= 0 && y0 >= 0 && x0+1 < cols && y0+1 < rows {
		i := y0*cols + x0
		p00, p01, p10, p11 = src[i], src[i+1], src[i+cols], src[i+cols+1]
	} else {
		p00, p01 = pixel(src, rows, cols, background, y0, x0), pixel(src, rows, cols, background, y0, x0+1)
		p10, p11 = pixel(src, rows, cols, background, y0+1, x0), pixel(src, rows, cols, background, y0+1, x0+1)
	}
	top := p00 + ax*(p01-p00)
	bottom := p10 + ax*(p11-p10)
	return top + ay*(bottom-top)
}

// pixel is src's pixel (r, c), or background outside the image.
func pixel(src []float32, rows, cols int, background float32, r, c int) float32 {
	if uint(r) >= uint(rows) || uint(c) >= uint(cols) {
		return background
	}
	return src[r*cols+c]
}

// Augmenter draws a random distortion for each image, affine or elastic,
// from a source reseeded for every batch (Reseed), so that a batch's
// distortions depend only on the seed and the batch's place in the run,
// not on what came before: a resumed run sees the batches an unbroken one
// would. It keeps its scratch buffers, so Apply never allocates. An
// Augmenter is not safe for concurrent use.
type Augmenter struct {
	affine  *Affine  // nil unless affine
	elastic *Elastic // nil unless elastic
	seed    uint64
	pcg     *rand.PCG
	rng     *rand.Rand
	// bank holds elasticBank smoothed noise fields, each (fieldSide,
	// fieldSide) and periodic; elastic only.
	bank   []float32
	dx, dy []float32 // (rows*cols) displacement scratch
}

// elasticBank is the number of fields an elastic Augmenter smooths once, and
// fieldSide their side. Each image's displacement along each axis is
// cos θ·F_i + sin θ·F_j over a randomly placed window of two different
// fields: a sum of two independent draws of the same zero-mean Gaussian
// field weighted by cos θ and sin θ is again a draw of that field (the
// variances add to cos²θ + sin²θ = 1, the correlation between pixels is
// unchanged), and the smoothed uniform noise is close to Gaussian (a
// weighted sum of about 200 values for σ = 4). So the distortions have the
// statistics of freshly smoothed noise at a small fraction of the cost of
// smoothing per image (a σ = 4 Gaussian is 25 taps per pixel and pass).
const (
	elasticBank = 16
	fieldSide   = 64
)

// NewAffineAugmenter returns an Augmenter drawing affine distortions in
// the range a.
func NewAffineAugmenter(a Affine, seed uint64) *Augmenter {
	g := newAugmenter(seed)
	g.affine = &a
	return g
}

// NewElasticAugmenter returns an Augmenter drawing elastic distortions of
// strength e. It panics if e.Sigma is not in (0, fieldSide/6]: the smoothing
// kernel (±3σ) must fit the periodic fields.
func NewElasticAugmenter(e Elastic, seed uint64) *Augmenter {
	if !(e.Sigma > 0 && e.Sigma <= fieldSide/6) {
		panic(fmt.Sprintf("dataset: NewElasticAugmenter: Sigma = %g, want in (0, %d]", e.Sigma, fieldSide/6))
	}
	g := newAugmenter(seed)
	g.elastic = &e
	g.bank = smoothedNoise(elasticBank, fieldSide, e.Sigma, rand.New(rand.NewPCG(mix(seed, 1), mix(seed, 2))))
	return g
}

func newAugmenter(seed uint64) *Augmenter {
	g := &Augmenter{seed: seed, pcg: rand.NewPCG(seed, 0)}
	g.rng = rand.New(g.pcg)
	return g
}

// Reseed restarts the random source for the batch numbered key.
func (g *Augmenter) Reseed(key uint64) {
	g.pcg.Seed(mix(g.seed, key), mix(key, g.seed^0x9e3779b97f4a7c15))
}

// Apply writes a random distortion of src, (rows, cols), into dst; pixels
// from outside src take background. It panics if src or dst is shorter
// than rows*cols.
func (g *Augmenter) Apply(dst, src []float32, rows, cols int, background float32) {
	if g.affine != nil {
		a, r := g.affine, g.rng
		WarpAffine(dst, src, rows, cols, background, AffineParams{
			Rotate: a.Rotate * (2*r.Float64() - 1),
			Scale:  1 + a.Scale*(2*r.Float64()-1),
			Shear:  a.Shear * (2*r.Float64() - 1),
			ShiftX: a.Shift * (2*r.Float64() - 1),
			ShiftY: a.Shift * (2*r.Float64() - 1),
		})
		return
	}
	n := rows * cols
	if len(g.dx) < n {
		g.dx, g.dy = make([]float32, n), make([]float32, n)
	}
	g.field(g.dx[:n], rows, cols)
	g.field(g.dy[:n], rows, cols)
	WarpElastic(dst, src, rows, cols, background, g.dx, g.dy)
}

// field fills d, (rows, cols), with a random displacement along one axis:
// α(cos θ·F_i + sin θ·F_j) over a window of the bank's fields at a random
// offset (the fields wrap around).
func (g *Augmenter) field(d []float32, rows, cols int) {
	r := g.rng
	i := r.IntN(elasticBank)
	j := (i + 1 + r.IntN(elasticBank-1)) % elasticBank
	sin, cos := math.Sincos(2 * math.Pi * r.Float64())
	a, b := float32(g.elastic.Alpha*cos), float32(g.elastic.Alpha*sin)
	fi := g.bank[i*fieldSide*fieldSide : (i+1)*fieldSide*fieldSide]
	fj := g.bank[j*fieldSide*fieldSide : (j+1)*fieldSide*fieldSide]
	oy, ox := r.IntN(fieldSide), r.IntN(fieldSide)
	const mask = fieldSide - 1 // fieldSide is a power of two
	for y := range rows {
		fy := (y + oy) & mask * fieldSide
		row := d[y*cols : (y+1)*cols]
		for x := range row {
			k := fy + (x+ox)&mask
			row[x] = a*fi[k] + b*fj[k]
		}
	}
}

// smoothedNoise returns n fields, (side, side), of uniform noise in [-1, 1]
// smoothed by a normalised Gaussian of σ (truncated at 3σ) with periodic
// boundaries, as two separable passes.
func smoothedNoise(n, side int, sigma float64, rng *rand.Rand) []float32 {
	radius := int(math.Ceil(3 * sigma))
	kernel := make([]float64, 2*radius+1)
	var sum float64
	for k := range kernel {
		d := float64(k - radius)
		kernel[k] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += kernel[k]
	}
	for k := range kernel {
		kernel[k] /= sum
	}
	out := make([]float32, n*side*side)
	noise := make([]float64, side*side)
	tmp := make([]float64, side*side)
	wrap := func(i int) int { return ((i % side) + side) % side }
	for f := range n {
		for i := range noise {
			noise[i] = 2*rng.Float64() - 1
		}
		for y := range side { // along x
			for x := range side {
				var s float64
				for k, w := range kernel {
					s += w * noise[y*side+wrap(x+k-radius)]
				}
				tmp[y*side+x] = s
			}
		}
		field := out[f*side*side : (f+1)*side*side]
		for y := range side { // along y
			for x := range side {
				var s float64
				for k, w := range kernel {
					s += w * tmp[wrap(y+k-radius)*side+x]
				}
				field[y*side+x] = float32(s)
			}
		}
	}
	return out
}

// mix is SplitMix64's finaliser of a ^ b·golden: nearby keys give unrelated
// seeds.
func mix(a, b uint64) uint64 {
	z := a ^ (b+1)*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
