package engine

import (
	"fmt"
	"math"
)

// RBF is the output layer of LeCun et al. 1998: one Euclidean radial basis
// unit per class, y_i = Σ_j (x_j − w_ij)², whose 84 weights are fixed to ±1
// and drawn as a 7×12 bitmap of the class's digit (the paper's Fig. 3; the
// bitmaps are rbfBitmaps). y_i is a penalty: the smallest is the answer. It
// has no trainable parameters; its 10×84=840 weights are connections.
type RBF struct {
	in  Shape
	out Shape
	w   []float32 // (classes, 84) the ±1 bitmaps, row-major, shared by replicas

	n  int
	x  []float32 // (N, 84) the last input, not owned
	y  []float32 // (N, classes)
	dx []float32 // (N, 84)
}

// The size of an RBF bitmap.
const (
	rbfCols = 7
	rbfRows = 12
)

// rbfBitmaps are the stylised digits 0–9 the RBF units compare F6's 84
// outputs with, 7 wide and 12 high: # is +1, . is −1. They are drawn for
// this program after the manner of the paper's Fig. 3 (thin strokes filling
// the field), not copied from it.
var rbfBitmaps = [10][rbfRows]string{
	{"..###..", ".#...#.", "#.....#", "#.....#", "#.....#", "#.....#", "#.....#", "#.....#", "#.....#", "#.....#", ".#...#.", "..###.."},
	{"...#...", "..##...", ".#.#...", "...#...", "...#...", "...#...", "...#...", "...#...", "...#...", "...#...", "...#...", ".#####."},
	{"..###..", ".#...#.", "#.....#", "......#", ".....#.", "....#..", "...#...", "..#....", ".#.....", "#......", "#......", "#######"},
	{".#####.", "#.....#", "......#", "......#", ".....#.", "..###..", ".....#.", "......#", "......#", "......#", "#.....#", ".#####."},
	{".....#.", "....##.", "...#.#.", "..#..#.", ".#...#.", "#....#.", "#######", ".....#.", ".....#.", ".....#.", ".....#.", ".....#."},
	{"#######", "#......", "#......", "#......", "#####..", ".....#.", "......#", "......#", "......#", "......#", "#....#.", ".####.."},
	{"...###.", "..#....", ".#.....", "#......", "#......", "#.###..", "##...#.", "#.....#", "#.....#", "#.....#", ".#...#.", "..###.."},
	{"#######", "......#", "......#", ".....#.", ".....#.", "....#..", "....#..", "...#...", "...#...", "..#....", "..#....", "..#...."},
	{"..###..", ".#...#.", "#.....#", "#.....#", ".#...#.", "..###..", ".#...#.", "#.....#", "#.....#", "#.....#", ".#...#.", "..###.."},
	{"..###..", ".#...#.", "#.....#", "#.....#", "#.....#", ".#...##", "..###.#", "......#", "......#", ".....#.", "....#..", ".###..."},
}

// RBFBitmap returns the ±1 weights of the RBF unit of class c, (12, 7)
// row-major, for a view to draw.
func RBFBitmap(c int) []float32 {
	w := make([]float32, 0, rbfRows*rbfCols)
	for _, row := range rbfBitmaps[c] {
		for _, ch := range row {
			v := float32(-1)
			if ch == '#' {
				v = 1
			}
			w = append(w, v)
		}
	}
	return w
}

func newRBF(name string, in Shape, classes int) (*RBF, error) {
	if classes != len(rbfBitmaps) {
		return nil, &SettingError{Key: "output", Value: string(OutputRBF),
			Want: fmt.Sprintf("softmax for %d classes: the RBF output's bitmaps exist for the %d digits only", classes, len(rbfBitmaps))}
	}
	if in.Size() != rbfRows*rbfCols {
		return nil, fmt.Errorf("%s: the RBF output compares %d inputs with %d fixed %d×%d bitmaps, one per digit; it reads %d inputs for %d classes (end with a dense layer of %d units before it)",
			name, rbfRows*rbfCols, len(rbfBitmaps), rbfCols, rbfRows, in.Size(), classes, rbfRows*rbfCols)
	}
	r := &RBF{in: in, out: Shape{classes, 1, 1}}
	for c := range classes {
		r.w = append(r.w, RBFBitmap(c)...)
	}
	return r, nil
}

func (r *RBF) OutShape() Shape  { return r.out }
func (r *RBF) Params() []*Param { return nil }

func (r *RBF) replicate() Layer {
	q := *r
	q.x, q.y, q.dx = nil, nil, nil
	return &q
}

// Forward computes the penalties y_i = Σ_j (x_j − w_ij)².
func (r *RBF) Forward(x []float32, n int) []float32 {
	in, k := r.in.Size(), r.out.C
	checkLayerInput("rbf", x, n*in)
	r.n, r.x = n, x[:n*in]
	r.y = grow(r.y, n*k)
	for s := range n {
		xs := x[s*in : (s+1)*in]
		for i := range k {
			var sum float32
			for j, w := range r.w[i*in : (i+1)*in] {
				d := xs[j] - w
				sum += d * d
			}
			r.y[s*k+i] = sum
		}
	}
	return r.y
}

// Backward returns dx_j = Σ_i dy_i · 2(x_j − w_ij); there is nothing to train.
func (r *RBF) Backward(dy []float32) []float32 {
	in, k := r.in.Size(), r.out.C
	r.dx = grow(r.dx, r.n*in)
	clear(r.dx)
	for s := range r.n {
		xs, dxs := r.x[s*in:(s+1)*in], r.dx[s*in:(s+1)*in]
		for i := range k {
			g := 2 * dy[s*k+i]
			for j, w := range r.w[i*in : (i+1)*in] {
				dxs[j] += g * (xs[j] - w)
			}
		}
	}
	return r.dx
}

func (r *RBF) counts() counts {
	c := r.out.C * r.in.Size()
	return counts{
		connections:        c,
		paramsFormula:      "0",
		connectionsFormula: fmt.Sprintf("%d×%d=%s fixed RBF weights (±1 %d×%d bitmaps)", r.out.C, r.in.Size(), Thousands(c), rbfCols, rbfRows),
	}
}

// rbfJ is the constant j of the paper's loss (eq. 9). The paper says only
// that it is positive; with it, a class whose penalty is already well above
// j is no longer pushed up, and the right class's penalty is pulled down
// until it is about j below the others.
const rbfJ = 1.0

// rbfLoss is the paper's loss (eq. 9) on penalties y (n, classes):
// E = y_D + log(e^{−j} + Σ_i e^{−y_i}) per image, D its label. It returns the
// summed loss and the number of images whose smallest penalty is their
// label's (an image whose penalties are all NaN is answered 0). If dz is
// not nil it receives dE/dy·scale: [i = D] − e^{−y_i}/(e^{−j} + Σ_k e^{−y_k}).
func rbfLoss(y []float32, labels []uint8, n, classes int, scale float32, dz []float32) (loss float64, correct int) {
	for s := range n {
		ys := y[s*classes : (s+1)*classes]
		d := int(labels[s])
		best := 0
		for i, v := range ys {
			if v < ys[best] {
				best = i
			}
		}
		if best == d {
			correct++
		}
		// log(e^{−j} + Σ e^{−y_i}) = −m + log(e^{−(j−m)} + Σ e^{−(y_i−m)}),
		// m the smallest exponent, so nothing underflows to log(0).
		m := math.Min(rbfJ, float64(ys[best]))
		z := math.Exp(-(rbfJ - m))
		for _, v := range ys {
			z += math.Exp(-(float64(v) - m))
		}
		loss += float64(ys[d]) - m + math.Log(z)
		if dz != nil {
			g := dz[s*classes : (s+1)*classes]
			for i, v := range ys {
				p := math.Exp(-(float64(v) - m)) / z
				if i == d {
					p--
				}
				g[i] = float32(-p) * scale
			}
		}
	}
	return loss, correct
}

// rbfProbs turns penalties into the probabilities a view shows:
// softmax(−y).
func rbfProbs(y []float32) []float32 {
	neg := make([]float32, len(y))
	for i, v := range y {
		neg[i] = -v
	}
	return softmax(neg)
}
