package dataset

import (
	"slices"
	"testing"
)

func TestSyntheticReproducible(t *testing.T) {
	a, b, c := Synthetic(20, 8, 9, 1), Synthetic(20, 8, 9, 1), Synthetic(20, 8, 9, 2)
	if !slices.Equal(a.Images, b.Images) || !slices.Equal(a.Labels, b.Labels) {
		t.Errorf("Synthetic(20, 8, 9, 1) differs between calls, want equal")
	}
	if slices.Equal(a.Images, c.Images) {
		t.Errorf("Synthetic(20, 8, 9, 1) and Synthetic(20, 8, 9, 2) have equal images, want different")
	}
	if a.Count != 20 || a.Rows != 8 || a.Cols != 9 || a.Classes != 10 || len(a.Images) != 20*8*9 || len(a.Labels) != 20 {
		t.Errorf("Synthetic(20, 8, 9, 1) = %+v, want 20 8×9 images of 10 classes", a)
	}
}

// TestSyntheticLearnable checks that a nearest-class-mean classifier fitted
// on one synthetic set labels another almost perfectly, so a network should
// have no trouble.
func TestSyntheticLearnable(t *testing.T) {
	for _, size := range []struct{ rows, cols int }{{28, 28}, {32, 32}, {8, 8}} {
		train, test := Synthetic(500, size.rows, size.cols, 1), Synthetic(200, size.rows, size.cols, 2)
		n := size.rows * size.cols
		means := make([][]float64, Classes)
		for c := range means {
			means[c] = make([]float64, n)
		}
		for i := range train.Count {
			for j, p := range train.Image(i) {
				means[train.Labels[i]][j] += float64(p) / float64(train.Count/Classes)
			}
		}
		correct := 0
		for i := range test.Count {
			best, bestDist := -1, 0.0
			for c, m := range means {
				dist := 0.0
				for j, p := range test.Image(i) {
					d := float64(p) - m[j]
					dist += d * d
				}
				if best < 0 || dist < bestDist {
					best, bestDist = c, dist
				}
			}
			if best == int(test.Labels[i]) {
				correct++
			}
		}
		if acc := float64(correct) / float64(test.Count); acc < 0.95 {
			t.Errorf("nearest-mean accuracy on Synthetic(200, %d, %d, 2) = %.3f, want >= 0.95", size.rows, size.cols, acc)
		}
	}
}
