package engine

import (
	"fmt"
	"math"
)

// Optimiser names.
const (
	SGD      = "sgd"
	Momentum = "momentum"
	Adam     = "adam"
)

// Optimizer updates parameters from their gradients.
type Optimizer interface {
	Step(params []*Param, lr float32)
}

// NewOptimizer returns the named optimiser.
func NewOptimizer(name string) (Optimizer, error) {
	switch name {
	case SGD:
		return sgd{}, nil
	case Momentum:
		return &momentum{mu: 0.9}, nil
	case Adam:
		return &adam{beta1: 0.9, beta2: 0.999, eps: 1e-8}, nil
	}
	return nil, fmt.Errorf("unknown optimizer %q (want sgd, momentum or adam)", name)
}

// sgd is plain gradient descent: w ← w − η·g.
type sgd struct{}

func (sgd) Step(params []*Param, lr float32) {
	for _, p := range params {
		for i, g := range p.G {
			p.W[i] -= lr * g
		}
	}
}

// momentum is SGD with heavy-ball momentum (Polyak 1964), as PyTorch writes
// it: v ← μ·v + g; w ← w − η·v.
type momentum struct {
	mu float32
	v  [][]float32
}

func (m *momentum) Step(params []*Param, lr float32) {
	if m.v == nil {
		m.v = stateLike(params)
	}
	for k, p := range params {
		v := m.v[k]
		for i, g := range p.G {
			v[i] = m.mu*v[i] + g
			p.W[i] -= lr * v[i]
		}
	}
}

// adam is Kingma & Ba 2015: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
// w ← w − η·m̂/(√v̂ + ε), with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
type adam struct {
	beta1, beta2, eps float32
	t                 int
	m, v              [][]float32
}

func (a *adam) Step(params []*Param, lr float32) {
	if a.m == nil {
		a.m, a.v = stateLike(params), stateLike(params)
	}
	a.t++
	c1 := 1 - math.Pow(float64(a.beta1), float64(a.t))
	c2 := 1 - math.Pow(float64(a.beta2), float64(a.t))
	// Fold the bias corrections into the step size and ε.
	step := lr * float32(math.Sqrt(c2)/c1)
	eps := a.eps * float32(math.Sqrt(c2))
	b1, b2 := a.beta1, a.beta2
	for k, p := range params {
		m, v := a.m[k], a.v[k]
		for i, g := range p.G {
			m[i] = b1*m[i] + (1-b1)*g
			v[i] = b2*v[i] + (1-b2)*g*g
			p.W[i] -= step * m[i] / (float32(math.Sqrt(float64(v[i]))) + eps)
		}
	}
}

func stateLike(params []*Param) [][]float32 {
	s := make([][]float32, len(params))
	for i, p := range params {
		s[i] = make([]float32, len(p.W))
	}
	return s
}
