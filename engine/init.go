package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Initialiser names.
const (
	InitTruncNormal = "truncated-normal" // N(0, σ²) redrawn beyond 2σ, weights and biases alike (TensorFlow's truncated_normal, as in the note)
	InitHe          = "he"               // N(0, 2/fan_in), He et al. 2015, for ReLU
	InitGlorot      = "glorot"           // U(±√(6/(fan_in+fan_out))), Glorot & Bengio 2010, for sigmoid and tanh
	InitLeCun       = "lecun"            // N(0, 1/fan_in), LeCun et al. 1998
)

// Init says how to draw a net's initial parameters.
type Init struct {
	Name string
	Std  float64 // σ of truncated-normal
}

// CheckInit returns an error unless i names a known initialiser.
func CheckInit(i Init) error {
	switch i.Name {
	case InitHe, InitGlorot, InitLeCun:
		return nil
	case InitTruncNormal:
		if !(i.Std > 0) {
			return fmt.Errorf("truncated-normal needs a standard deviation > 0, got %g", i.Std)
		}
		return nil
	}
	return fmt.Errorf("unknown init %q (want truncated-normal, he, glorot or lecun)", i.Name)
}

// initParam fills p.W. Under he, glorot and lecun, biases start at 0 and
// subsampling coefficients at 1/fan_in, so subsampling starts as averaging.
func initParam(p *Param, in Init, rng *rand.Rand) {
	if in.Name == InitTruncNormal {
		for i := range p.W {
			p.W[i] = float32(truncNormal(rng) * in.Std)
		}
		return
	}
	switch {
	case p.Bias:
		clear(p.W)
		return
	case p.Coef:
		for i := range p.W {
			p.W[i] = 1 / float32(p.FanIn)
		}
		return
	}
	per := len(p.W)
	if p.FanIns != nil {
		per = len(p.W) / len(p.FanIns)
	}
	for i := range p.W {
		fanIn := p.FanIn
		if p.FanIns != nil {
			fanIn = p.FanIns[i/per]
		}
		switch in.Name {
		case InitHe:
			p.W[i] = float32(rng.NormFloat64() * math.Sqrt(2/float64(fanIn)))
		case InitLeCun:
			p.W[i] = float32(rng.NormFloat64() * math.Sqrt(1/float64(fanIn)))
		case InitGlorot:
			a := math.Sqrt(6 / float64(fanIn+p.FanOut))
			p.W[i] = float32((2*rng.Float64() - 1) * a)
		default:
			panic("engine: unknown init " + in.Name)
		}
	}
}

// truncNormal draws from N(0, 1) restricted to [−2, 2].
func truncNormal(rng *rand.Rand) float64 {
	for {
		if v := rng.NormFloat64(); math.Abs(v) <= 2 {
			return v
		}
	}
}
