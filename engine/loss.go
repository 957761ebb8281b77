package engine

import "math"

// softmaxCE evaluates softmax cross-entropy on logits z (n, classes) against
// labels, returning the summed per-image loss and the number of correct
// argmax predictions (an image whose logits are all NaN is answered 0). If dz
// is not nil it receives (softmax(z) − onehot)·scale, or NaN for every logit
// of an image whose naive loss is NaN.
func softmaxCE(naive bool, z []float32, labels []uint8, n, classes int, scale float32, dz []float32) (loss float64, correct int) {
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
		var l float64
		if naive {
			// p = softmax(z) in float32, then −Σ_k y_k·log(p_k) over every class:
			// a p that underflows to 0 gives 0·log(0) = NaN, as in the note.
			for k, v := range zs {
				p := float32(math.Exp(float64(v-zmax)) / sum)
				yk := float32(0)
				if k == y {
					yk = 1
				}
				l -= float64(yk * float32(math.Log(float64(p))))
			}
		} else {
			l = math.Log(sum) + float64(zmax-zs[y])
		}
		loss += l
		if dz != nil {
			d := dz[s*classes : (s+1)*classes]
			if naive && math.IsNaN(l) {
				// The gradient of 0·log(0) is 0/0: NaN, and softmax's backward
				// spreads it to every logit of the image, as TensorFlow's does.
				for k := range d {
					d[k] = float32(math.NaN())
				}
				continue
			}
			for k, v := range zs {
				p := float32(math.Exp(float64(v-zmax)) / sum)
				if k == y {
					p--
				}
				d[k] = p * scale
			}
		}
	}
	return loss, correct
}
