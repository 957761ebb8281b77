package engine

import (
	"math"
	"math/rand/v2"
)

// initParam fills p.W. Under he, glorot and lecun, biases start at 0 and
// subsampling coefficients at 1/fan_in, so subsampling starts as averaging.
func initParam(p *Param, in Init, std float64, rng *rand.Rand) {
	if in == InitTruncNormal {
		for i := range p.W {
			p.W[i] = float32(truncNormal(rng) * std)
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
