package analysis

import "math"

// Confusion is a confusion matrix: Counts[t*Classes+p] images of true class
// t were predicted as p (engine.Breakdown's layout).
type Confusion struct {
	Classes int
	Counts  []int
}

// ClassStats is how the net fares on one class.
type ClassStats struct {
	Class     int
	Count     int     // test images of the class
	Predicted int     // images predicted as the class
	Right     int     // images of the class predicted as it
	Recall    float64 // Right / Count: the class's accuracy; NaN if Count is 0
	Precision float64 // Right / Predicted; NaN if Predicted is 0
}

// Pair is a cell of the matrix off its diagonal: images of class True read
// as Pred.
type Pair struct {
	True, Pred, Count int
}

// Total is the number of images counted.
func (c Confusion) Total() int {
	n := 0
	for _, v := range c.Counts {
		n += v
	}
	return n
}

// Accuracy is the share of images on the diagonal; NaN for none.
func (c Confusion) Accuracy() float64 {
	right := 0
	for k := range c.Classes {
		right += c.Counts[k*c.Classes+k]
	}
	return ratio(right, c.Total())
}

// PerClass returns the statistics of every class, in class order.
func (c Confusion) PerClass() []ClassStats {
	k := c.Classes
	out := make([]ClassStats, k)
	for t := range k {
		for p := range k {
			v := c.Counts[t*k+p]
			out[t].Count += v
			out[p].Predicted += v
		}
	}
	for i := range out {
		out[i].Class = i
		out[i].Right = c.Counts[i*k+i]
		out[i].Recall = ratio(out[i].Right, out[i].Count)
		out[i].Precision = ratio(out[i].Right, out[i].Predicted)
	}
	return out
}

// MostConfused is the off-diagonal cell with the largest count, the first
// in row order among equals; ok is false when there is no mistake.
func (c Confusion) MostConfused() (p Pair, ok bool) {
	k := c.Classes
	for t := range k {
		for q := range k {
			if v := c.Counts[t*k+q]; t != q && v > p.Count {
				p, ok = Pair{True: t, Pred: q, Count: v}, true
			}
		}
	}
	return p, ok
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}
