package engine

import "fmt"

// Param is one trainable tensor. Replicas of a net share W and keep their own G.
// A layer declares its Params with their sizes; W and G are allocated only
// when Build lays the whole net out (Net.flatten), so a net can be planned
// and counted (Plan) without allocating a weight.
type Param struct {
	Name string    // e.g. "C1.w"
	W    []float32 // values, shared by all replicas of a net; nil until the net is allocated
	G    []float32 // gradient of this replica, same length as W
	// FanIn and FanOut guide initialisation: the inputs and outputs one value
	// connects. For a partially connected convolution, FanIns gives each output
	// map's own fan-in, indexed by map, each covering Len/len(FanIns) values.
	FanIn, FanOut int
	FanIns        []int
	Bias          bool // a bias (or offset) rather than a weight
	Coef          bool // a subsampling coefficient
	size          int  // the number of values, known before W is allocated
}

// newParam declares a parameter of n values; Net.flatten allocates them.
func newParam(name string, n int) *Param {
	return &Param{Name: name, size: n}
}

// share returns a Param with the same values; Net.flatten gives it a
// gradient of its own.
func (p *Param) share() *Param {
	q := *p
	return &q
}

// Layer is one forward/backward pair.
//
// Forward takes a batch of n samples x (n, In) and returns y (n, Out), a
// buffer owned by the layer, caching what Backward needs. Backward takes dy
// (n, Out) for the same batch, adds the parameter gradients into each Param's
// G, and returns dx (n, In), also owned by the layer.
type Layer interface {
	Forward(x []float32, n int) []float32
	Backward(dy []float32) []float32
	Params() []*Param
	OutShape() Shape
	// replicate returns a layer of the same configuration sharing the
	// parameter values, with its own gradients and buffers.
	replicate() Layer
}

// counter is implemented by layers that have trainable parameters or
// connections to count.
type counter interface {
	counts() counts
}

type counts struct {
	params, connections int
	paramsFormula       string
	connectionsFormula  string
}

// checkLayerInput panics unless x holds the want values a layer of kind (conv,
// dense, …) reads: a programmer error, as every shape mismatch.
func checkLayerInput(kind string, x []float32, want int) {
	if len(x) < want {
		panic(fmt.Sprintf("engine: %s input has %d values, want %d", kind, len(x), want))
	}
}
