package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/lenet-tui/lenet-tui/engine"
)

// footer is the footer's line at the model's width, ANSI stripped; it
// checks that the footer is one line that fits.
func footer(t *testing.T, m *model) string {
	t.Helper()
	v := m.help.view()
	if n := strings.Count(v, "\n") + 1; n != 1 {
		t.Errorf("footer has %d lines, want 1:\n%s", n, ansi.Strip(v))
	}
	if w := ansi.StringWidth(v); w > m.width {
		t.Errorf("footer is %d cells wide, want ≤ %d: %q", w, m.width, ansi.Strip(v))
	}
	return strings.TrimRight(ansi.Strip(v), " ")
}

// TestFooterFollowsTheView: at 80 columns the footer names the keys that
// act in the view shown, says resume while paused, keeps "? help" and
// "q quit", and offers the views a student looks for.
func TestFooterFollowsTheView(t *testing.T) {
	bs := realBreakdowns()
	for _, tc := range []struct {
		name    string
		paused  bool
		keys    []string
		want    []string
		notWant []string
	}{
		{name: "maps while training", want: []string{"space pause", "i inspect", "c confusion", "e embedding", "d draw", "? help", "q quit"},
			notWant: []string{"resume", "esc"}},
		{name: "maps while paused", paused: true, want: []string{"space resume", "c confusion", "e embedding", "d draw", "i inspect"},
			notWant: []string{"space pause"}},
		{name: "kernels", keys: []string{"l", "l", "k"}, want: []string{"space pause", "←/→ layer", "[ ] page", "esc maps", "i inspect", "? help", "q quit"}},
		{name: "inspect", keys: []string{"i"}, want: []string{"←↑↓→ move value", "[ ] map", "tab input", "esc done", "? help", "q quit"},
			notWant: []string{"←/→ layer", "i inspect"}},
		{name: "confusion", keys: []string{"c"}, want: []string{"space pause", "←↑↓→ cell", "enter its digits", "esc maps", "? help", "q quit"},
			notWant: []string{"←/→ layer", "c confusion"}},
		{name: "confusion cell", keys: []string{"c", "enter"}, want: []string{"←/→ digit", "enter make it the probe", "esc matrix", "? help", "q quit"}},
		{name: "drawing pad", keys: []string{"d"}, want: []string{"←↑↓→ pen", "space pen down/up", "x clear", "esc maps", "? help", "q quit"},
			notWant: []string{"space pause", "d draw"}},
		{name: "embedding", keys: []string{"e"}, want: []string{"space pause", "esc maps", "c confusion", "? help", "q quit"},
			notWant: []string{"e embedding", "←/→ layer"}},
		{name: "key help", keys: []string{"?"}, want: []string{"space pause", "?/esc close", "q quit"}},
		{name: "left on C1", keys: []string{"left"}, want: []string{"C1 is the first layer", "? help", "q quit"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := trainedModel(t, asciiStyles(), 80, 24)
			feed(m, bs[len(bs)-1])
			if tc.paused {
				feed(m, engine.StateChanged{Step: storyStep, Paused: true})
			}
			press(m, tc.keys...)
			got := footer(t, m)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("footer after %v = %q, want %q in it", tc.keys, got, w)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(got, w) {
					t.Errorf("footer after %v = %q, want no %q", tc.keys, got, w)
				}
			}
		})
	}
}

// TestFooterAfterTheRun: once the run has ended, space does nothing and
// the footer does not offer it; r starts another run and it does.
func TestFooterAfterTheRun(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 80, 24)
	finish(m)
	got := footer(t, m)
	if strings.Contains(got, "space") || !strings.Contains(got, "r restart") {
		t.Errorf("footer after the run = %q, want r restart and no space", got)
	}
}

// TestFooterFits: at every width and in every view the footer is one line
// that fits, and keeps "? help" (or how to close it) and "q quit".
func TestFooterFits(t *testing.T) {
	for _, w := range []int{80, 81, 100, 119, 120, 140, 200} {
		for _, keys := range [][]string{nil, {"k"}, {"i"}, {"c"}, {"d"}, {"left"}, {"?"}} {
			m, _ := trainedModel(t, colorStyles(), w, 40)
			press(m, keys...)
			got := footer(t, m)
			wants := []string{"? help", "q quit"}
			if m.keysOpen {
				wants = []string{"?/esc close", "q quit"}
			}
			for _, want := range wants {
				if !strings.Contains(got, want) {
					t.Errorf("width %d after %v: footer %q lacks %q", w, keys, got, want)
				}
			}
		}
	}
}

// TestKeyHelpGrouped: '?' shows every key under its group, with why, and
// nothing is cut, at the smallest terminal and the wide ones.
func TestKeyHelpGrouped(t *testing.T) {
	for _, sz := range sizes {
		m, _ := trainedModel(t, asciiStyles(), sz[0], sz[1])
		press(m, "?")
		keyHelpHasAll(t, m, ansi.Strip(m.View()))
	}
}

func keyHelpHasAll(t *testing.T, m *model, v string) {
	t.Helper()
	for _, g := range m.keys.groups() {
		if !strings.Contains(v, g.title) {
			t.Errorf("key help lacks the group %q:\n%s", g.title, v)
		}
		for _, kw := range g.keys {
			if !strings.Contains(v, kw.why) {
				t.Errorf("key help lacks %s %q:\n%s", kw.b.Help().Key, kw.why, v)
			}
		}
	}
	if strings.Contains(v, "…") {
		t.Errorf("key help at %d×%d cuts something:\n%s", m.width, m.height, v)
	}
}
