package draw

import (
	"math"
	"reflect"
	"testing"
)

func TestNiceStep(t *testing.T) {
	tests := []struct{ raw, want float64 }{
		{0.07, 0.1}, {0.1, 0.1}, {0.11, 0.2}, {0.2, 0.2}, {0.3, 0.5}, {0.5, 0.5}, {0.51, 1},
		{1, 1}, {1.5, 2}, {3, 5}, {7, 10}, {45, 50}, {2.4e7, 5e7}, {0.0003, 0.0005},
		{0, 1}, {-2, 1}, {math.NaN(), 1}, {math.Inf(1), 1},
	}
	for _, tt := range tests {
		if got := niceStep(tt.raw); got != tt.want {
			t.Errorf("niceStep(%g) = %g, want %g", tt.raw, got, tt.want)
		}
	}
}

func labels(s Scale) []string {
	out := make([]string, len(s.ticks))
	for i, t := range s.ticks {
		out[i] = t.label
	}
	return out
}

func TestLinearScale(t *testing.T) {
	tests := []struct {
		name   string
		lo, hi float64
		n      int
		want   []string
	}{
		{"a loss axis", 0, 2.45, 5, []string{"0", "0.5", "1", "1.5", "2", "2.5"}},
		{"few rows", 0, 2.45, 3, []string{"0", "1", "2", "3"}},
		{"ends on 1, not 0.9", 0, 0.93, 10, []string{"0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"}},
		{"a huge spike", 0, 1.2e8, 3, []string{"0", "5e+07", "1e+08", "1.5e+08"}},
		{"no data", 0, 0, 4, []string{"0", "0.5", "1"}},
		{"one row", 0, 3, 0, []string{"0", "5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := labels(LinearScale(tt.lo, tt.hi, tt.n, "")); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("LinearScale(%g, %g, %d) labels = %q, want %q", tt.lo, tt.hi, tt.n, got, tt.want)
			}
		})
	}
}

func TestFloorScale(t *testing.T) {
	tests := []struct {
		lo   float64
		n    int
		want []string
	}{
		{95.3, 5, []string{"95%", "96%", "97%", "98%", "99%", "100%"}},
		{93, 2, []string{"90%", "95%", "100%"}},
		{78, 3, []string{"70%", "80%", "90%", "100%"}},
		{99.7, 4, []string{"99%", "99.5%", "100%"}},
		{9.8, 4, []string{"0%", "50%", "100%"}},
	}
	for _, tt := range tests {
		if got := labels(FloorScale(tt.lo, 100, 1, tt.n, "%")); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("FloorScale(%g, 100, 1, %d) labels = %q, want %q", tt.lo, tt.n, got, tt.want)
		}
	}
}

func TestLogScale(t *testing.T) {
	tests := []struct {
		name       string
		lo, hi     float64
		rows, gap  int
		wantLo     float64
		wantHi     float64
		wantLabels []string
	}{
		{"roomy: every 1-2-5 value", 0.06, 2.3, 30, 2, 0.05, 5, []string{"0.05", "0.1", "0.2", "0.5", "1", "2", "5"}},
		{"decades first", 0.06, 2.3, 4, 1, 0.05, 5, []string{"0.1", "0.2", "1", "5"}},
		{"many decades: every third", 0.002, 3.2e6, 8, 2, 0.002, 5e6, []string{"0.01", "10", "10000"}},
		{"a spike of 1e8", 0.03, 1.2e8, 10, 2, 0.02, 2e8, []string{"0.1", "10", "1000", "1e+05", "1e+07"}},
		{"within a decade", 0.25, 0.45, 6, 2, 0.2, 0.5, []string{"0.2", "0.5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := LogScale(tt.lo, tt.hi, tt.rows, tt.gap)
			if s.lo != tt.wantLo || s.hi != tt.wantHi || !reflect.DeepEqual(labels(s), tt.wantLabels) {
				t.Errorf("LogScale(%g, %g, %d, %d) = %g…%g %q, want %g…%g %q",
					tt.lo, tt.hi, tt.rows, tt.gap, s.lo, s.hi, labels(s), tt.wantLo, tt.wantHi, tt.wantLabels)
			}
			if !s.spaced(s.ticks, tt.rows, tt.gap) {
				t.Errorf("LogScale(%g, %g, %d, %d) ticks %q closer than %d rows", tt.lo, tt.hi, tt.rows, tt.gap, labels(s), tt.gap)
			}
		})
	}
}

func TestTickLabel(t *testing.T) {
	tests := []struct {
		v, step float64
		want    string
	}{
		{0.30000000000000004, 0.1, "0.3"}, {1, 0.5, "1"}, {1.5, 0.5, "1.5"}, {0, 0.2, "0"},
		{99.5, 0.5, "99.5"}, {1.2e8, 5e7, "1.2e+08"}, {20000, 5000, "20000"}, {0.05, 0.05, "0.05"},
	}
	for _, tt := range tests {
		if got := tickLabel(tt.v, tt.step); got != tt.want {
			t.Errorf("tickLabel(%v, %g) = %q, want %q", tt.v, tt.step, got, tt.want)
		}
	}
}

func TestEpochSpan(t *testing.T) {
	tests := []struct{ last, want float64 }{
		{0, 1}, {0.3, 1}, {1, 1}, {1.01, 2}, {2.5, 3}, {10, 10}, {10.2, 12}, {23, 25}, {118, 120},
	}
	for _, tt := range tests {
		if got := EpochSpan(tt.last); got != tt.want {
			t.Errorf("EpochSpan(%g) = %g, want %g", tt.last, got, tt.want)
		}
	}
}
