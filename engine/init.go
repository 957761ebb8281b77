package engine

import (
	"math"
	"math/rand/v2"
)

// initParam fills p.W. Under he, glorot and lecun, biases start at 0 and
// subsampling coefficients at 1/fan_in, so subsampling starts as averaging;
// truncated-normal and lecun-1998 draw them as they draw weights.
func initParam(p *Param, in Init, std float64, rng *rand.Rand) {
	switch in {
	case InitTruncNormal:
		for i := range p.W {
			p.W[i] = float32(truncNormal(rng) * std)
		}
		return
	case InitLeCun1998:
		// "uniformly distributed random numbers between −2.4/Fᵢ and 2.4/Fᵢ,
		// where Fᵢ is the number of inputs (fan-in) of the unit which the
		// connection belongs to" (LeCun et al. 1998, appendix A).
		for i := range p.W {
			p.W[i] = float32((2*rng.Float64() - 1) * 2.4 / float64(p.fanInOf(i)))
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
	for i := range p.W {
		fanIn := p.fanInOf(i)
		switch in {
		case InitHe:
			p.W[i] = float32(rng.NormFloat64() * math.Sqrt(2/float64(fanIn)))
		case InitLeCun:
			p.W[i] = float32(rng.NormFloat64() * math.Sqrt(1/float64(fanIn)))
		case InitGlorot:
			a := math.Sqrt(6 / float64(fanIn+p.FanOut))
			p.W[i] = float32((2*rng.Float64() - 1) * a)
		default:
			panic("engine: unknown init " + string(in))
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

// fanInOf is the fan-in of the unit value i of p feeds: FanIn, or for a
// partially connected convolution its output map's own (FanIns).
func (p *Param) fanInOf(i int) int {
	if p.FanIns == nil {
		return p.FanIn
	}
	return p.FanIns[i/(len(p.W)/len(p.FanIns))]
}
