package analysis

import (
	"math"
	"math/rand/v2"
	"testing"
)

// synthetic returns n points in dim dimensions: latent scores a (std 5)
// and b (std 2) along the orthonormal axes u and v, plus noise of std 0.1
// in every dimension, around a centre far from the origin.
func synthetic(n, dim int, seed uint64) (values []float32, a, b, u, v []float64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	u, v = make([]float64, dim), make([]float64, dim)
	// u = (1, 1, 1, 1, 0…)/2 and v = (1, −1, 0…, 0, 1, −1)/2: orthonormal,
	// and along no coordinate axis.
	u[0], u[1], u[2], u[3] = 0.5, 0.5, 0.5, 0.5
	v[0], v[1], v[dim-2], v[dim-1] = 0.5, -0.5, 0.5, -0.5
	centre := make([]float64, dim)
	for j := range centre {
		centre[j] = 10 + float64(j)
	}
	a, b = make([]float64, n), make([]float64, n)
	values = make([]float32, n*dim)
	for i := range n {
		a[i], b[i] = 5*rng.NormFloat64(), 2*rng.NormFloat64()
		for j := range dim {
			values[i*dim+j] = float32(centre[j] + a[i]*u[j] + b[i]*v[j] + 0.1*rng.NormFloat64())
		}
	}
	return values, a, b, u, v
}

func dot(x, y []float64) float64 {
	var s float64
	for i := range x {
		s += x[i] * y[i]
	}
	return s
}

// corr is Pearson's correlation of x and y.
func corr(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

func TestPCA2FindsKnownAxes(t *testing.T) {
	const n, dim = 2000, 8
	values, a, b, u, v := synthetic(n, dim, 3)
	p, err := PCA2(values, n, dim, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The sign of a component is arbitrary: compare |cos|.
	if c := math.Abs(dot(p.Axes[0], u)); c < 0.999 {
		t.Errorf("|cos(axis 1, u)| = %.5f, want ≥ 0.999", c)
	}
	if c := math.Abs(dot(p.Axes[1], v)); c < 0.999 {
		t.Errorf("|cos(axis 2, v)| = %.5f, want ≥ 0.999", c)
	}
	if c := math.Abs(corr(p.X, a)); c < 0.999 {
		t.Errorf("|corr(scores 1, a)| = %.5f, want ≥ 0.999", c)
	}
	if c := math.Abs(corr(p.Y, b)); c < 0.99 {
		t.Errorf("|corr(scores 2, b)| = %.5f, want ≥ 0.99", c)
	}
	// Variances 25, 4 and 8 × 0.01 of noise: shares ≈ 25/29.08 and 4/29.08.
	total := 25 + 4 + dim*0.01
	for k, want := range []float64{25 / total, 4 / total} {
		if math.Abs(p.Explained[k]-want) > 0.03 {
			t.Errorf("Explained[%d] = %.3f, want ≈ %.3f", k, p.Explained[k], want)
		}
	}
	// Scores are of the centred points: their mean is 0.
	var mx float64
	for _, x := range p.X {
		mx += x
	}
	if mx /= n; math.Abs(mx) > 1e-9 {
		t.Errorf("mean of scores 1 = %g, want 0 (the points are centred)", mx)
	}
	// The largest entry of each axis is positive without prev.
	for k, axis := range p.Axes {
		big := 0
		for j := range axis {
			if math.Abs(axis[j]) > math.Abs(axis[big]) {
				big = j
			}
		}
		if axis[big] < 0 {
			t.Errorf("axis %d: its largest entry %g is negative", k+1, axis[big])
		}
	}
}

func TestPCA2FollowsPrev(t *testing.T) {
	const n, dim = 500, 6
	values, _, _, _, _ := synthetic(n, dim, 4)
	first, err := PCA2(values, n, dim, nil)
	if err != nil {
		t.Fatal(err)
	}
	flipped := first
	flipped.Axes = [2][]float64{neg(first.Axes[0]), first.Axes[1]}
	p, err := PCA2(values, n, dim, &flipped)
	if err != nil {
		t.Fatal(err)
	}
	if dot(p.Axes[0], first.Axes[0]) > 0 || dot(p.Axes[1], first.Axes[1]) < 0 {
		t.Errorf("with prev's first axis flipped, the axes point %+.3f, %+.3f along the first projection's; want −1, +1",
			dot(p.Axes[0], first.Axes[0]), dot(p.Axes[1], first.Axes[1]))
	}
	for i := range n {
		if math.Abs(p.X[i]+first.X[i]) > 1e-9 || math.Abs(p.Y[i]-first.Y[i]) > 1e-9 {
			t.Fatalf("point %d at (%g, %g), want (%g, %g)", i, p.X[i], p.Y[i], -first.X[i], first.Y[i])
		}
	}
}

func neg(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = -x
	}
	return out
}

func TestPCA2BadInput(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []float32
		n, dim int
	}{
		{"one point", []float32{1, 2}, 1, 2},
		{"length mismatch", []float32{1, 2, 3}, 2, 2},
		{"NaN", []float32{1, 2, float32(math.NaN()), 4}, 2, 2},
		{"infinity", []float32{1, float32(math.Inf(1)), 3, 4}, 2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := PCA2(tc.values, tc.n, tc.dim, nil); err == nil {
				t.Errorf("PCA2(%v, %d, %d) = nil error, want one", tc.values, tc.n, tc.dim)
			}
		})
	}
	// All points equal (a dead layer): no variance, every point at 0.
	p, err := PCA2(make([]float32, 10*3), 10, 3, nil)
	if err != nil {
		t.Fatalf("PCA2 of equal points: %v", err)
	}
	for i := range p.X {
		if p.X[i] != 0 || p.Y[i] != 0 {
			t.Fatalf("PCA2 of equal points: point %d at (%g, %g), want (0, 0)", i, p.X[i], p.Y[i])
		}
	}
}

// BenchmarkPCA2 times the projection the terminal UI makes at each
// evaluation: 1,000 points of LeNet-5's 84 F6 outputs.
func BenchmarkPCA2(b *testing.B) {
	values, _, _, _, _ := synthetic(1000, 84, 5)
	for b.Loop() {
		if _, err := PCA2(values, 1000, 84, nil); err != nil {
			b.Fatal(err)
		}
	}
}
