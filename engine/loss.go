package engine

import "math"

// crossEntropy says which softmax cross-entropy a run minimises.
type crossEntropy struct {
	// naive computes the 2017 note's −Σ t·log(softmax(z)) in float32, which
	// takes log(0) once a probability underflows; otherwise the stable
	// log-sum-exp form.
	naive bool
	// smooth is label smoothing's ε: the target puts 1 − ε + ε/K on the
	// true class and ε/K on each other one (Szegedy et al. 2016), so the
	// loss keeps pulling a confident right answer back from certainty.
	smooth float32
}

// softmaxCE evaluates softmax cross-entropy on logits z (n, classes) against
// labels (smoothed by ce.smooth), returning the summed per-image loss and
// the number of correct argmax predictions (an image whose logits are all
// NaN is answered 0). If dz is not nil it receives (softmax(z) − target)·scale,
// or NaN for every logit of an image whose naive loss is NaN.
func softmaxCE(ce crossEntropy, z []float32, labels []uint8, n, classes int, scale float32, dz []float32) (loss float64, correct int) {
	for s := range n {
		zs := z[s*classes : (s+1)*classes]
		y := int(labels[s])
		best := 0
		for k, v := range zs {
			if v > zs[best] {
				best = k
			}
		}
		if best == y {
			correct++
		}
		zmax := zs[best]
		var sum float64
		for _, v := range zs {
			sum += math.Exp(float64(v - zmax))
		}
		l := ce.imageLoss(zs, y, zmax, sum)
		loss += l
		if dz != nil {
			ce.imageGrad(dz[s*classes:(s+1)*classes], zs, y, zmax, sum, scale, math.IsNaN(l))
		}
	}
	return loss, correct
}

// targets are the smoothed target of the true class (on) and of every
// wrong one (off) among k classes.
func (ce crossEntropy) targets(k int) (on, off float32) {
	off = ce.smooth / float32(k)
	return 1 - ce.smooth + off, off
}

// imageLoss is one image's loss for logits zs and true class y, given
// zmax = max zs and sum = Σ exp(z − zmax).
func (ce crossEntropy) imageLoss(zs []float32, y int, zmax float32, sum float64) (l float64) {
	on, off := ce.targets(len(zs))
	if ce.naive {
		// p = softmax(z) in float32, then −Σ_k y_k·log(p_k) over every class:
		// a p that underflows to 0 gives 0·log(0) = NaN, as in the note.
		for k, v := range zs {
			p := float32(math.Exp(float64(v-zmax)) / sum)
			yk := off
			if k == y {
				yk = on
			}
			l -= float64(yk * float32(math.Log(float64(p))))
		}
		return l
	}
	// −Σ t_k·(z_k − zmax − log sum) with Σ t_k = 1.
	if ce.smooth == 0 {
		return math.Log(sum) + float64(zmax-zs[y])
	}
	var mean float64
	for _, v := range zs {
		mean += float64(v - zmax)
	}
	mean /= float64(len(zs))
	return math.Log(sum) - float64(on-off)*float64(zs[y]-zmax) - float64(ce.smooth)*mean
}

// imageGrad sets d to one image's (softmax(zs) − target)·scale, or to NaN
// when its naive loss is NaN.
func (ce crossEntropy) imageGrad(d, zs []float32, y int, zmax float32, sum float64, scale float32, nanLoss bool) {
	if ce.naive && nanLoss {
		// The gradient of 0·log(0) is 0/0: NaN, and softmax's backward
		// spreads it to every logit of the image, as TensorFlow's does.
		for k := range d {
			d[k] = float32(math.NaN())
		}
		return
	}
	on, off := ce.targets(len(zs))
	for k, v := range zs {
		p := float32(math.Exp(float64(v-zmax))/sum) - off
		if k == y {
			p -= on - off
		}
		d[k] = p * scale
	}
}

// softmax returns the probabilities exp(z_i − max z) / Σ_j exp(z_j − max z),
// summed in float64.
func softmax(z []float32) []float32 {
	p := make([]float32, len(z))
	zmax := z[0]
	for _, v := range z {
		zmax = max(zmax, v)
	}
	var sum float64
	for i, v := range z {
		e := math.Exp(float64(v - zmax))
		p[i] = float32(e)
		sum += e
	}
	for i := range p {
		p[i] = float32(float64(p[i]) / sum)
	}
	return p
}
