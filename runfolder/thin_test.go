package runfolder

import (
	"math"
	"slices"
	"testing"
)

// TestThin: up to max items all are kept; beyond, an evenly spread
// selection of at most max+1, with the first and the last.
func TestThin(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 100, 1000, 1001} {
		th := newThin[int](8)
		for i := range n {
			th.add(i)
		}
		got := th.list()
		switch {
		case n <= 7 && len(got) != n:
			t.Errorf("thin(8) of %d items kept %v, want all", n, got)
		case len(got) > 9:
			t.Errorf("thin(8) of %d items kept %d: %v, want at most 9", n, len(got), got)
		case n > 0 && (got[0] != 0 || got[len(got)-1] != n-1):
			t.Errorf("thin(8) of %d items kept %v, want 0 first and %d last", n, got, n-1)
		case !slices.IsSorted(got):
			t.Errorf("thin(8) of %d items kept %v, want them in order", n, got)
		}
		if n > 16 { // evenly spread: one stride between kept items
			for i := 1; i < len(got)-1; i++ {
				if got[i]-got[i-1] != th.stride {
					t.Errorf("thin(8) of %d items kept %v, want a step of %d", n, got, th.stride)
					break
				}
			}
		}
	}
}

// TestPointsMeans: a long run's batches are kept as means whose trailing
// geometric mean is the batches' own, and a NaN survives the means.
func TestPointsMeans(t *testing.T) {
	const n = 1000
	ps := newPoints(16)
	logSum := 0.0
	for i := 1; i <= n; i++ {
		l := 1 / float64(i)
		logSum += math.Log(l)
		ps.add(Point{Step: i, Epoch: float64(i) / 100, Loss: l, Acc: float64(i%2) / 2})
	}
	got := ps.list()
	if len(got) > 17 || got[len(got)-1].Step != n || got[0].Step != ps.stride {
		t.Fatalf("points(16) of %d batches = %d points, first at step %d, last %d; want at most 17, first at %d, last at %d",
			n, len(got), got[0].Step, got[len(got)-1].Step, ps.stride, n)
	}
	full := n / ps.stride // whole means: the geometric mean of them all is the batches'
	mean := 0.0
	for _, p := range got[:full] {
		mean += math.Log(p.Loss) / float64(full)
		if math.Abs(p.Acc-0.25) > 1e-12 {
			t.Errorf("point %+v: accuracy %g, want the mean 0.25", p, p.Acc)
		}
	}
	if want := (logSum - sumLog(full*ps.stride+1, n)) / float64(full*ps.stride); math.Abs(mean-want) > 1e-9 {
		t.Errorf("geometric mean of the points' losses %g, want the batches' %g", math.Exp(mean), math.Exp(want))
	}
	nan := newPoints(4)
	for i := 1; i <= 20; i++ {
		l := 0.5
		if i == 9 {
			l = math.NaN()
		}
		nan.add(Point{Step: i, Loss: l})
	}
	for _, p := range nan.list() {
		if want := p.Step >= 9 && p.Step-nan.stride < 9; want != math.IsNaN(p.Loss) {
			t.Errorf("points(4) with batch 9 NaN: %+v (stride %d), want NaN only for the mean that holds batch 9", p, nan.stride)
		}
	}
}

// sumLog is Σ log(1/i) for i from a to b.
func sumLog(a, b int) float64 {
	s := 0.0
	for i := a; i <= b; i++ {
		s += math.Log(1 / float64(i))
	}
	return s
}
