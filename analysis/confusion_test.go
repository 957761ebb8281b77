package analysis

import (
	"math"
	"testing"
)

// A hand-worked example: 12 images of 3 classes.
//
//	true 0: 0 0 0 1        → row 0: 3 1 0
//	true 1: 1 1 2 2 2      → row 1: 0 2 3
//	true 2: 2 2 0          → row 2: 1 0 2
//
// Recall: 3/4, 2/5, 2/3. Predicted: 0 ×4, 1 ×3, 2 ×5, so precision 3/4,
// 2/3, 2/5. Accuracy 7/12. The most confused pair is 1 read as 2 (3).
func TestConfusionHandWorked(t *testing.T) {
	pairs := [][2]int{{0, 0}, {0, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 1}, {1, 2}, {1, 2}, {1, 2}, {2, 2}, {2, 2}, {2, 0}}
	c := Confusion{Classes: 3, Counts: make([]int, 9)}
	for _, p := range pairs {
		c.Counts[p[0]*3+p[1]]++
	}
	if got := c.Total(); got != 12 {
		t.Errorf("Total() = %d, want 12", got)
	}
	if got := c.Accuracy(); math.Abs(got-7.0/12) > 1e-15 {
		t.Errorf("Accuracy() = %g, want %g", got, 7.0/12)
	}
	want := []ClassStats{
		{Class: 0, Count: 4, Predicted: 4, Right: 3, Recall: 3.0 / 4, Precision: 3.0 / 4},
		{Class: 1, Count: 5, Predicted: 3, Right: 2, Recall: 2.0 / 5, Precision: 2.0 / 3},
		{Class: 2, Count: 3, Predicted: 5, Right: 2, Recall: 2.0 / 3, Precision: 2.0 / 5},
	}
	got := c.PerClass()
	for i := range want {
		g, w := got[i], want[i]
		if g.Class != w.Class || g.Count != w.Count || g.Predicted != w.Predicted || g.Right != w.Right ||
			math.Abs(g.Recall-w.Recall) > 1e-15 || math.Abs(g.Precision-w.Precision) > 1e-15 {
			t.Errorf("PerClass()[%d] = %+v, want %+v", i, g, w)
		}
	}
	if p, ok := c.MostConfused(); !ok || p != (Pair{True: 1, Pred: 2, Count: 3}) {
		t.Errorf("MostConfused() = %+v, %v; want {1 2 3}, true", p, ok)
	}
}

func TestConfusionEmptyAndPerfect(t *testing.T) {
	c := Confusion{Classes: 2, Counts: []int{5, 0, 0, 0}}
	s := c.PerClass()
	if !math.IsNaN(s[1].Recall) || !math.IsNaN(s[1].Precision) {
		t.Errorf("class 1 with no images and no predictions: recall %g, precision %g; want NaN, NaN", s[1].Recall, s[1].Precision)
	}
	if s[0].Recall != 1 || s[0].Precision != 1 {
		t.Errorf("class 0 all right: recall %g, precision %g; want 1, 1", s[0].Recall, s[0].Precision)
	}
	if p, ok := c.MostConfused(); ok {
		t.Errorf("MostConfused() of a perfect matrix = %+v, true; want none", p)
	}
	if got := (Confusion{Classes: 2, Counts: make([]int, 4)}).Accuracy(); !math.IsNaN(got) {
		t.Errorf("Accuracy() of nothing = %g, want NaN", got)
	}
}
