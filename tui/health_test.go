package tui

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/lenet-tui/lenet-tui/engine"
)

// batches is a Progress covering n batches of the given loss and accuracy.
func batches(n int, loss, acc float64) engine.Progress {
	p := engine.Progress{Epoch: 1, Batch: n, Batches: 1875, Step: n}
	for range n {
		p.Losses, p.Accs = append(p.Losses, loss), append(p.Accs, acc)
	}
	return p
}

func TestHealth(t *testing.T) {
	for _, tc := range []struct {
		name  string
		feed  []engine.Progress
		stuck bool
	}{
		{"learning", []engine.Progress{batches(400, 0.3, 0.9)}, false},
		{"at chance, one class", []engine.Progress{batches(400, math.Log(10), 0.1135)}, true},
		{"at chance, but early", []engine.Progress{batches(100, math.Log(10), 0.1)}, false},
		{"fell to chance after learning", []engine.Progress{batches(300, 0.2, 0.95), batches(400, 2.3026, 0.098)}, true},
		{"slow but moving", []engine.Progress{batches(400, 2.1, 0.3)}, false},
		{"confidently wrong", []engine.Progress{batches(400, 2.42, 0.1015)}, true},
	} {
		var h health
		for _, p := range tc.feed {
			h.add(p)
		}
		if h.stuck() != tc.stuck {
			t.Errorf("%s: stuck() = %v, want %v (loss %.3f, acc %.3f after %d batches)", tc.name, h.stuck(), tc.stuck, h.loss, h.acc, h.batches)
		}
	}
}

// TestCollapseSaid: ten presses of + in the story's terms: the header says
// the net is at chance and why, and forgets it when a setting changes.
func TestCollapseSaid(t *testing.T) {
	m, _, _ := newTestModel(t, asciiStyles(), 120, 40)
	feed(m, batches(400, math.Log(10), 0.1135))
	v := ansi.Strip(m.header.view())
	for _, want := range []string{"Not learning", "ln 10 = 2.30", "every digit gets the same answer", "(-)"} {
		if !strings.Contains(strings.Join(strings.Fields(v), " "), want) {
			t.Errorf("header at chance lacks %q:\n%s", want, v)
		}
	}
	feed(m, engine.LRChanged{Step: 400, LR: 0.001})
	if v := ansi.Strip(m.header.view()); strings.Contains(v, "Not learning") {
		t.Errorf("header still says not learning right after the rate changed:\n%s", v)
	}
}

// TestRateInForce: under one-cycle the header shows the rate of the last
// batch and the peak; a constant rate is shown once.
func TestRateInForce(t *testing.T) {
	m, _, _ := newTestModel(t, asciiStyles(), 140, 45)
	p := batches(10, 1, 0.5)
	p.LR = 0.00042
	feed(m, p)
	if v := ansi.Strip(m.header.view()); !strings.Contains(v, "lr 0.00042 of 0.003 onecycle") {
		t.Errorf("header lacks the rate in force and its peak:\n%s", v)
	}
	m.header.info.Schedule = engine.ScheduleConstant
	m.header.touch()
	if v := ansi.Strip(m.header.view()); !strings.Contains(v, "lr 0.003 ") || strings.Contains(v, " of ") {
		t.Errorf("header under a constant rate:\n%s", v)
	}
}
