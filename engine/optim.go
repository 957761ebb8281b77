package engine

import (
	"math"

	"github.com/lenet-tui/lenet-tui/engine/internal/vec"
)

// optimizer updates parameter values w from their gradients g, both a net's
// flat vectors. step handles the elements [lo, hi) of step t (1-based), so
// disjoint ranges of one step can be updated concurrently.
type optimizer interface {
	step(w, g []float32, lr float32, t, lo, hi int)
}

// newOptimizer returns the named optimiser for n parameters.
func newOptimizer(name Optimizer, n int) optimizer {
	switch name {
	case SGD:
		return sgd{}
	case Momentum:
		return &momentum{mu: 0.9, v: make([]float32, n)}
	case Adam:
		return &adam{beta1: 0.9, beta2: 0.999, eps: 1e-8, m: make([]float32, n), v: make([]float32, n)}
	}
	panic("engine: unknown optimizer " + string(name))
}

// sgd is plain gradient descent: w ← w − η·g.
type sgd struct{}

func (sgd) step(w, g []float32, lr float32, _, lo, hi int) {
	w, g = w[lo:hi], g[lo:hi]
	for i := range w {
		w[i] -= lr * g[i]
	}
}

// momentum is SGD with heavy-ball momentum (Polyak 1964), as PyTorch writes
// it: v ← μ·v + g; w ← w − η·v.
type momentum struct {
	mu float32
	v  []float32
}

func (m *momentum) step(w, g []float32, lr float32, _, lo, hi int) {
	w, g, v := w[lo:hi], g[lo:hi], m.v[lo:hi]
	for i := range w {
		v[i] = m.mu*v[i] + g[i]
		w[i] -= lr * v[i]
	}
}

// adam is Kingma & Ba 2015: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
// w ← w − η·m̂/(√v̂ + ε), with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
type adam struct {
	beta1, beta2, eps float32
	m, v              []float32
}

func (a *adam) step(w, g []float32, lr float32, t, lo, hi int) {
	c1 := 1 - math.Pow(float64(a.beta1), float64(t))
	c2 := 1 - math.Pow(float64(a.beta2), float64(t))
	// Fold the bias corrections into the step size and ε.
	step := lr * float32(math.Sqrt(c2)/c1)
	eps := a.eps * float32(math.Sqrt(c2))
	vec.Adam(w[lo:hi], g[lo:hi], a.m[lo:hi], a.v[lo:hi], a.beta1, a.beta2, step, eps)
}
