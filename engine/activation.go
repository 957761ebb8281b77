package engine

import (
	"math"

	"github.com/lenet-tui/lenet-tui/engine/internal/vec"
)

const (
	scaledTanhA = 1.7159
	scaledTanhB = 2.0 / 3.0
)

// Act applies an elementwise activation. Its function can be switched
// between batches without touching any weight.
type Act struct {
	fn    Activation
	shape Shape
	n     int
	y     []float32 // (N, C, H, W) output, which the derivative is computed from
	dx    []float32 // (N, C, H, W)
}

func newAct(fn Activation, shape Shape) *Act { return &Act{fn: fn, shape: shape} }

// Func is the activation's name.
func (a *Act) Func() Activation { return a.fn }

// SetFunc switches the activation.
func (a *Act) SetFunc(fn Activation) { a.fn = fn }

func (a *Act) OutShape() Shape  { return a.shape }
func (a *Act) Params() []*Param { return nil }

func (a *Act) replicate() Layer { return &Act{fn: a.fn, shape: a.shape} }

func (a *Act) Forward(x []float32, n int) []float32 {
	m := n * a.shape.Size()
	a.n = n
	a.y = grow(a.y, m)
	copy(a.y, x[:m])
	a.apply(a.y)
	return a.y
}

// apply sets y = f(y) in place.
func (a *Act) apply(y []float32) {
	switch a.fn {
	case Sigmoid:
		for i, v := range y {
			y[i] = sigmoid(v)
		}
	case ReLU:
		vec.BiasReLU(y, 0) // max(v+0, 0): the same bits as max(v, 0)
	case Tanh:
		for i, v := range y {
			y[i] = float32(math.Tanh(float64(v)))
		}
	case ScaledTanh:
		for i, v := range y {
			y[i] = scaledTanhA * float32(math.Tanh(scaledTanhB*float64(v)))
		}
	default:
		panic("engine: unknown activation " + string(a.fn))
	}
}

func sigmoid(v float32) float32 {
	if v >= 0 {
		return 1 / (1 + float32(math.Exp(float64(-v))))
	}
	e := float32(math.Exp(float64(v)))
	return e / (1 + e)
}

// Backward returns dx = dy·f'(x), with f' written in terms of y = f(x).
func (a *Act) Backward(dy []float32) []float32 {
	m := a.n * a.shape.Size()
	a.dx = grow(a.dx, m)
	a.grad(a.dx, dy[:m], a.y[:m])
	return a.dx
}

// grad sets dx = dy·f'(x) from y = f(x); dx may be dy itself.
func (a *Act) grad(dx, dy, y []float32) {
	dy, y = dy[:len(dx)], y[:len(dx)]
	switch a.fn {
	case Sigmoid:
		for i, v := range y {
			dx[i] = dy[i] * v * (1 - v)
		}
	case ReLU:
		// y is +0 or positive, so y > 0 exactly when its bits are not all 0.
		vec.ReLUGradSum(dx, dy, y)
	case Tanh:
		for i, v := range y {
			dx[i] = dy[i] * (1 - v*v)
		}
	case ScaledTanh:
		for i, v := range y {
			t := v / scaledTanhA
			dx[i] = dy[i] * scaledTanhA * scaledTanhB * (1 - t*t)
		}
	}
}
