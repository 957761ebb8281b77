package analysis

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Projection is n points mapped onto the first two principal components of
// their values.
type Projection struct {
	X, Y []float64 // (n) each point's score on the first and second component
	// Axes are the two component directions, each of the values' length.
	Axes [2][]float64
	// Explained is the share of the total variance along each axis.
	Explained [2]float64
}

// PCA2 projects the n rows of values (n, dim) onto their first two
// principal components, computed by gonum's stat.PC on the centred rows.
//
// The sign of a principal component is arbitrary. So that successive
// projections of a layer that is learning do not flip from one evaluation
// to the next, each axis points the way of prev's (when prev has axes of
// the same length); without prev, its largest entry is positive.
func PCA2(values []float32, n, dim int, prev *Projection) (Projection, error) {
	if n < 2 || dim < 2 || len(values) != n*dim {
		return Projection{}, fmt.Errorf("analysis: PCA of %d values as %d points of %d: want at least 2 points of 2 values", len(values), n, dim)
	}
	a := mat.NewDense(n, dim, nil)
	for i := range n {
		for j := range dim {
			v := float64(values[i*dim+j])
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return Projection{}, fmt.Errorf("analysis: value %d of point %d is %v", j, i, v)
			}
			a.Set(i, j, v)
		}
	}
	var pc stat.PC
	if !pc.PrincipalComponents(a, nil) {
		return Projection{}, errors.New("analysis: the principal components could not be computed (the SVD did not converge)")
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	vars := pc.VarsTo(nil)
	p := Projection{X: make([]float64, n), Y: make([]float64, n)}
	total := floats.Sum(vars)
	for k := range 2 {
		axis := mat.Col(nil, k, &vecs)
		if orient(axis, prev, k) < 0 {
			floats.Scale(-1, axis)
		}
		p.Axes[k] = axis
		if total > 0 && k < len(vars) {
			p.Explained[k] = vars[k] / total
		}
	}
	mean := make([]float64, dim)
	for j := range dim {
		mean[j] = stat.Mean(mat.Col(nil, j, a), nil)
	}
	row := make([]float64, dim)
	for i := range n {
		floats.SubTo(row, a.RawRowView(i), mean)
		p.X[i] = floats.Dot(row, p.Axes[0])
		p.Y[i] = floats.Dot(row, p.Axes[1])
	}
	return p, nil
}

// orient is the sign axis k should have: that of its dot product with
// prev's axis k, or else of its largest entry by magnitude.
func orient(axis []float64, prev *Projection, k int) float64 {
	if prev != nil && len(prev.Axes[k]) == len(axis) {
		if d := floats.Dot(axis, prev.Axes[k]); d != 0 {
			return d
		}
	}
	return axis[floats.MaxIdx(absAll(axis))]
}

func absAll(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Abs(x)
	}
	return out
}
