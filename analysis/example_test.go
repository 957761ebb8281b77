package analysis_test

import (
	"fmt"
	"math"

	"github.com/lenet-tui/lenet-tui/analysis"
)

// A confusion matrix of three classes (rows: true class, columns:
// predicted), in engine.Breakdown's layout. A class never predicted has
// no precision: NaN, which a view shows as "none".
func ExampleConfusion() {
	c := analysis.Confusion{Classes: 3, Counts: []int{
		8, 2, 0, // 10 images of class 0: 8 right, 2 read as 1
		1, 9, 0, // 10 images of class 1: 9 right, 1 read as 0
		0, 5, 0, // 5 images of class 2, all read as 1
	}}
	fmt.Printf("%d images, accuracy %.2f\n", c.Total(), c.Accuracy())
	for _, s := range c.PerClass() {
		fmt.Printf("class %d: recall %d/%d = %.2f, precision %d/%d = %.2f\n",
			s.Class, s.Right, s.Count, s.Recall, s.Right, s.Predicted, s.Precision)
	}
	if p, ok := c.MostConfused(); ok {
		fmt.Printf("most confused: %d read as %d, %d times\n", p.True, p.Pred, p.Count)
	}
	// Output:
	// 25 images, accuracy 0.68
	// class 0: recall 8/10 = 0.80, precision 8/9 = 0.89
	// class 1: recall 9/10 = 0.90, precision 9/16 = 0.56
	// class 2: recall 0/5 = 0.00, precision 0/0 = NaN
	// most confused: 2 read as 1, 5 times
}

// PCA2 maps points onto their first two principal components. Here four
// points in 3-D lie on a plane, 2.83 either side of their centre along
// (1, 1, 0) and 1 along z: the first axis finds the long direction, with
// 8/9 of the variance, the second z. Without a previous projection each
// axis's largest entry is positive.
func ExamplePCA2() {
	values := []float32{ // (4, 3)
		0, 0, 1,
		4, 4, 1,
		0, 0, -1,
		4, 4, -1,
	}
	p, err := analysis.PCA2(values, 4, 3, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	round := func(x float64) float64 { // to 2 decimals, whatever the last bits; no -0
		if r := math.Round(x*100) / 100; r != 0 {
			return r
		}
		return 0
	}
	for k, axis := range p.Axes {
		fmt.Printf("axis %d: (%v, %v, %v), %v of the variance\n", k+1,
			round(axis[0]), round(axis[1]), round(axis[2]), round(p.Explained[k]))
	}
	for i := range p.X {
		fmt.Printf("point %d: (%v, %v)\n", i, round(p.X[i]), round(p.Y[i]))
	}
	// Output:
	// axis 1: (0.71, 0.71, 0), 0.89 of the variance
	// axis 2: (0, 0, 1), 0.11 of the variance
	// point 0: (-2.83, 1)
	// point 1: (2.83, 1)
	// point 2: (-2.83, -1)
	// point 3: (2.83, -1)
}
