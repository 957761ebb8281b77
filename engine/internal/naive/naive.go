// Package naive is the algorithm in plain loops: the layers of LeNet-5
// written as their formulas, one loop per index, with nothing cached,
// packed, blocked or vectorised. It is the reference a student reads
// before the fast kernels (packages dconv, gemm and vec, which compute the
// same sums in other orders) and the oracle their tests compare against;
// nothing in the engine calls it while training.
//
// Tensors are row-major NCHW: a batch of n samples of c maps of h rows of
// w values, element [s][ch][y][x] at ((s·c+ch)·h+y)·w+x. Convolution
// weights are (Cout, Cin, K, K); dense weights are (Out, In), one row per
// output.
//
// The functions are generic over float32 and float64: the tests run the
// sums in float64 to bound the fast kernels' float32 rounding, and in
// float32 where the fast kernel must agree bit for bit.
//
// # Invariants
//
// Inputs are never modified. Functions named …Grad that take a gradient
// slice add into it (as a layer's Backward adds into its parameter
// gradients); every other result is a new slice. Slices must hold at least
// the elements their shapes name; shorter ones panic with an index error.
package naive

// Float is the element type the loops run in.
type Float interface{ ~float32 | ~float64 }

// ConvForward returns y (n, cout, ho, wo), the stride-1 convolution of x
// (n, cin, h, w) with wt (cout, cin, k, k), zero padding pad on each side,
// plus bias b (cout; nil for none):
//
//	y[s][co][oy][ox] = b[co] + Σ_ci Σ_ky Σ_kx wt[co][ci][ky][kx] · x[s][ci][oy+ky−pad][ox+kx−pad]
//
// with ho = h+2·pad−k+1, wo = w+2·pad−k+1 and x zero outside the image
// (pad 0 is a "valid" convolution). A connection table (cin, cout), as C3
// of LeNet-5 has, leaves out the terms of the input maps ci with
// !table[ci][co]; nil connects every input map to every output map. (The
// engine gets the same sums by keeping the left-out weights at zero.)
func ConvForward[F Float](x []F, n, cin, h, w int, wt, b []F, cout, k, pad int, table [][]bool) []F {
	ho, wo := h+2*pad-k+1, w+2*pad-k+1
	y := make([]F, n*cout*ho*wo)
	for s := range n {
		for co := range cout {
			for oy := range ho {
				for ox := range wo {
					var v F
					if b != nil {
						v = b[co]
					}
					for ci := range cin {
						if table != nil && !table[ci][co] {
							continue
						}
						for ky := range k {
							for kx := range k {
								iy, ix := oy+ky-pad, ox+kx-pad
								if iy < 0 || iy >= h || ix < 0 || ix >= w {
									continue // padding: x is zero there
								}
								v += wt[((co*cin+ci)*k+ky)*k+kx] * x[((s*cin+ci)*h+iy)*w+ix]
							}
						}
					}
					y[((s*cout+co)*ho+oy)*wo+ox] = v
				}
			}
		}
	}
	return y
}

// ConvFilterGrad adds to dw (cout, cin, k, k) the gradient of a loss L
// with respect to ConvForward's weights, given dy = ∂L/∂y (n, cout, ho, wo):
//
//	dw[co][ci][ky][kx] += Σ_s Σ_oy Σ_ox dy[s][co][oy][ox] · x[s][ci][oy+ky−pad][ox+kx−pad]
//
// the correlation of the input with the output gradient. The bias
// gradient is db[co] += Σ_s Σ_oy Σ_ox dy[s][co][oy][ox].
func ConvFilterGrad[F Float](x []F, n, cin, h, w int, dy []F, cout, k, pad int, dw []F) {
	ho, wo := h+2*pad-k+1, w+2*pad-k+1
	for co := range cout {
		for ci := range cin {
			for ky := range k {
				for kx := range k {
					v := dw[((co*cin+ci)*k+ky)*k+kx]
					for s := range n {
						for oy := range ho {
							for ox := range wo {
								iy, ix := oy+ky-pad, ox+kx-pad
								if iy < 0 || iy >= h || ix < 0 || ix >= w {
									continue
								}
								v += dy[((s*cout+co)*ho+oy)*wo+ox] * x[((s*cin+ci)*h+iy)*w+ix]
							}
						}
					}
					dw[((co*cin+ci)*k+ky)*k+kx] = v
				}
			}
		}
	}
}

// ConvInputGrad returns dx (n, cin, h, w), the gradient with respect to
// ConvForward's input given dy (n, cout, ho, wo): every output pixel sends
// its gradient back along the weights that made it,
//
//	dx[s][ci][iy][ix] = Σ dy[s][co][oy][ox] · wt[co][ci][ky][kx]  over co, ky, kx with oy+ky−pad = iy, ox+kx−pad = ix,
//
// which is the convolution of dy with the kernels flipped and transposed.
func ConvInputGrad[F Float](dy []F, n, cout int, wt []F, cin, h, w, k, pad int) []F {
	ho, wo := h+2*pad-k+1, w+2*pad-k+1
	dx := make([]F, n*cin*h*w)
	for s := range n {
		for co := range cout {
			for oy := range ho {
				for ox := range wo {
					d := dy[((s*cout+co)*ho+oy)*wo+ox]
					for ci := range cin {
						for ky := range k {
							for kx := range k {
								iy, ix := oy+ky-pad, ox+kx-pad
								if iy < 0 || iy >= h || ix < 0 || ix >= w {
									continue
								}
								dx[((s*cin+ci)*h+iy)*w+ix] += d * wt[((co*cin+ci)*k+ky)*k+kx]
							}
						}
					}
				}
			}
		}
	}
	return dx
}

// SubsampleForward is LeNet's trainable subsampling (S2, S4): each map of
// x (n, c, h, w) is cut into 2×2 windows, and output (n, c, h/2, w/2) is
// the window's sum times the map's coefficient plus its bias,
//
//	y[s][ch][oy][ox] = coef[ch] · (((a + b) + c) + d) + bias[ch]
//
// where a, b are x[s][ch][2oy][2ox], x[s][ch][2oy][2ox+1] and c, d the two
// below them (summed in that order). Odd last rows and columns are
// dropped.
func SubsampleForward[F Float](x []F, n, c, h, w int, coef, bias []F) []F {
	ho, wo := h/2, w/2
	y := make([]F, n*c*ho*wo)
	for m := range n * c { // m = s·c + ch: one map
		xm := x[m*h*w:]
		for oy := range ho {
			for ox := range wo {
				a, b := xm[2*oy*w+2*ox], xm[2*oy*w+2*ox+1]
				cc, d := xm[(2*oy+1)*w+2*ox], xm[(2*oy+1)*w+2*ox+1]
				y[(m*ho+oy)*wo+ox] = coef[m%c]*(((a+b)+cc)+d) + bias[m%c]
			}
		}
	}
	return y
}

// SubsampleBackward returns dx (n, c, h, w) for SubsampleForward given dy
// (n, c, h/2, w/2) and adds the parameter gradients:
//
//	dx[s][ch][iy][ix] = coef[ch] · dy[s][ch][iy/2][ix/2]   (0 in dropped rows and columns)
//	dcoef[ch] += Σ_s Σ_oy Σ_ox dy[s][ch][oy][ox] · (window sum)
//	dbias[ch] += Σ_s Σ_oy Σ_ox dy[s][ch][oy][ox]
func SubsampleBackward[F Float](x, dy []F, n, c, h, w int, coef, dcoef, dbias []F) []F {
	ho, wo := h/2, w/2
	dx := make([]F, n*c*h*w)
	for m := range n * c {
		xm, dxm := x[m*h*w:], dx[m*h*w:]
		for oy := range ho {
			for ox := range wo {
				g := dy[(m*ho+oy)*wo+ox]
				var sum F
				for _, i := range [4]int{2*oy*w + 2*ox, 2*oy*w + 2*ox + 1, (2*oy+1)*w + 2*ox, (2*oy+1)*w + 2*ox + 1} {
					sum += xm[i]
					dxm[i] = coef[m%c] * g
				}
				dcoef[m%c] += g * sum
				dbias[m%c] += g
			}
		}
	}
	return dx
}

// MaxPoolForward takes the maximum of each 2×2 window of x (n, c, h, w)
// into y (n, c, h/2, w/2) and returns with it arg, the index in x of each
// window's winner: the first strict maximum in reading order (the top
// pair left to right, then the bottom pair), so ties go to the earlier
// value. Odd last rows and columns are dropped.
func MaxPoolForward[F Float](x []F, n, c, h, w int) (y []F, arg []int) {
	ho, wo := h/2, w/2
	y, arg = make([]F, n*c*ho*wo), make([]int, n*c*ho*wo)
	for m := range n * c {
		for oy := range ho {
			for ox := range wo {
				o := (m*ho+oy)*wo + ox
				arg[o] = -1
				for _, i := range [4]int{2*oy*w + 2*ox, 2*oy*w + 2*ox + 1, (2*oy+1)*w + 2*ox, (2*oy+1)*w + 2*ox + 1} {
					if v := x[m*h*w+i]; arg[o] < 0 || v > y[o] {
						y[o], arg[o] = v, m*h*w+i
					}
				}
			}
		}
	}
	return y, arg
}

// MaxPoolBackward returns dx (size elements, the shape of MaxPoolForward's
// x) for dy (the shape of its y): the gradient goes only to each window's
// winner, dx[arg[o]] = 0 + dy[o], and every other dx is 0.
func MaxPoolBackward[F Float](dy []F, arg []int, size int) []F {
	dx := make([]F, size)
	for o, i := range arg {
		dx[i] += dy[o]
	}
	return dx
}

// DenseForward returns y (n, out), the fully connected layer on x (n, in)
// with weights wt (out, in) and bias b (out; nil for none):
//
//	y[s][o] = b[o] + Σ_i wt[o][i] · x[s][i]
//
// that is y = x·wtᵀ + b, a matrix product.
func DenseForward[F Float](x []F, n, in int, wt, b []F, out int) []F {
	y := make([]F, n*out)
	for s := range n {
		for o := range out {
			var v F
			if b != nil {
				v = b[o]
			}
			for i := range in {
				v += wt[o*in+i] * x[s*in+i]
			}
			y[s*out+o] = v
		}
	}
	return y
}

// DenseWeightGrad adds to dw (out, in) and db (out; nil to skip) the
// gradients of DenseForward's parameters given dy = ∂L/∂y (n, out):
//
//	dw[o][i] += Σ_s dy[s][o] · x[s][i]     (dw += dyᵀ·x)
//	db[o]    += Σ_s dy[s][o]
func DenseWeightGrad[F Float](x []F, n, in int, dy []F, out int, dw, db []F) {
	for o := range out {
		for i := range in {
			v := dw[o*in+i]
			for s := range n {
				v += dy[s*out+o] * x[s*in+i]
			}
			dw[o*in+i] = v
		}
		if db != nil {
			for s := range n {
				db[o] += dy[s*out+o]
			}
		}
	}
}

// DenseInputGrad returns dx (n, in), the gradient with respect to
// DenseForward's input given dy (n, out):
//
//	dx[s][i] = Σ_o dy[s][o] · wt[o][i]     (dx = dy·wt)
func DenseInputGrad[F Float](dy []F, n, out int, wt []F, in int) []F {
	dx := make([]F, n*in)
	for s := range n {
		for i := range in {
			var v F
			for o := range out {
				v += dy[s*out+o] * wt[o*in+i]
			}
			dx[s*in+i] = v
		}
	}
	return dx
}
