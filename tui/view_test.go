package tui

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/lenet-tui/lenet-tui/engine"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got (ANSI stripped) with testdata/name.golden.
func golden(t *testing.T, name, got string) {
	t.Helper()
	got = ansi.Strip(got)
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s: view differs from %s (go test ./tui -update rewrites it)\ngot:\n%s\nwant:\n%s", name, path, got, want)
	}
}

// sizes are the wide layout, the README's size (the smallest wide one),
// the smallest terminal and a large one.
var sizes = [][2]int{{140, 45}, {120, 40}, {80, 24}, {200, 60}}

func sizeName(sz [2]int) string { return itoa(sz[0]) + "x" + itoa(sz[1]) }

func itoa(n int) string { return engine.Thousands(n) }

// TestPanelsGolden renders each panel of a model 2½ epochs into training,
// at the wide and the minimum size.
func TestPanelsGolden(t *testing.T) {
	for _, sz := range sizes {
		m, _ := trainedModel(t, asciiStyles(), sz[0], sz[1])
		panels := map[string]string{
			"header":     m.header.view(),
			"layers":     m.layers.view(),
			"loss":       m.loss.view(),
			"accuracy":   m.acc.view(),
			"maps":       m.maps.view(),
			"prediction": m.pred.view(),
			"help":       m.help.view(),
			"screen":     m.View(),
		}
		for name, v := range panels {
			t.Run(name+"-"+sizeName(sz), func(t *testing.T) { golden(t, name+"-"+sizeName(sz), v) })
		}
	}
}

// TestSelectedLayerGolden shows C3 with its connection table and kernels,
// and C5 as a strip of 120 values.
func TestSelectedLayerGolden(t *testing.T) {
	for _, sz := range sizes {
		m, _ := trainedModel(t, asciiStyles(), sz[0], sz[1])
		press(m, "l", "l") // C3
		golden(t, "layers-C3-"+sizeName(sz), m.layers.view())
		golden(t, "maps-C3-"+sizeName(sz), m.maps.view())
		press(m, "k")
		golden(t, "kernels-C3-"+sizeName(sz), m.maps.view())
		press(m, "k", "l", "l") // C5
		golden(t, "maps-C5-"+sizeName(sz), m.maps.view())
	}
}

// TestStatesGolden renders the screen of a failed run and the header of a
// finished one.
func TestStatesGolden(t *testing.T) {
	for _, sz := range sizes {
		m := failedModel(t, sz[0], sz[1])
		golden(t, "screen-failed-"+sizeName(sz), m.View())
	}
	m, _ := trainedModel(t, asciiStyles(), 140, 45)
	finish(m)
	golden(t, "header-finished-140x45", m.header.view())
	press(m, "?")
	golden(t, "help-full-140x45", m.help.view())
	for _, sz := range sizes {
		m, _ := trainedModel(t, asciiStyles(), sz[0], sz[1])
		press(m, "?")
		golden(t, "screen-help-"+sizeName(sz), m.View())
	}
}

// TestViewFits checks that every line of the screen fits the terminal and
// that the screen has exactly its height, at many sizes and with colour.
func TestViewFits(t *testing.T) {
	for _, st := range []styles{asciiStyles(), colorStyles()} {
		for _, sz := range [][2]int{{80, 24}, {100, 30}, {119, 40}, {120, 40}, {140, 45}, {200, 60}, {81, 50}} {
			m, _ := trainedModel(t, st, sz[0], sz[1])
			for _, keys := range [][]string{nil, {"l", "l"}, {"k"}, {"l", "l", "l", "l"}, {"l", "l", "l", "l", "l", "l"}, {"?"},
				{"?", "v", "v"}, {"h", "h", "h", "h", "h", "h", "i"}, {"i", "l", "l", "i", "tab"}, {"i", "l", "k"}, {"l", "l", "k"}, {"l", "i"}} {
				press(m, keys...)
				v := m.View()
				lines := strings.Split(v, "\n")
				if len(lines) != sz[1] {
					t.Errorf("%v after %v: View has %d lines, want %d", sz, keys, len(lines), sz[1])
				}
				for i, l := range lines {
					if w := ansi.StringWidth(l); w > sz[0] {
						t.Errorf("%v after %v: line %d is %d cells wide, want ≤ %d: %q", sz, keys, i, w, sz[0], ansi.Strip(l))
					}
				}
			}
		}
	}
}

func TestTooSmall(t *testing.T) {
	for _, sz := range [][2]int{{79, 24}, {80, 23}, {40, 10}} {
		m, _, _ := newTestModel(t, asciiStyles(), sz[0], sz[1])
		v := ansi.Strip(m.View())
		want := "terminal too small: need 80×24, have " + itoa(sz[0]) + "×" + itoa(sz[1])
		if !strings.Contains(v, want) {
			t.Errorf("View() at %v = %q, want it to contain %q", sz, v, want)
		}
		if n := len(strings.Split(v, "\n")); n != sz[1] {
			t.Errorf("View() at %v has %d lines, want %d", sz, n, sz[1])
		}
	}
}

// press sends key presses by their string names.
func press(m *model, keys ...string) []tea.Cmd {
	var cmds []tea.Cmd
	for _, k := range keys {
		_, cmd := m.Update(keyMsg(k))
		cmds = append(cmds, cmd)
	}
	return cmds
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune(" ")}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// TestShare checks how a row or column shares its cells: by weight, the
// largest remainders first, within each cell's bounds, after fitted cells.
func TestShare(t *testing.T) {
	p := func(weight, lo, hi int) cell { return cell{weight: weight, min: lo, max: hi} }
	tests := []struct {
		name string
		n    int
		kids []cell
		want []int
	}{
		{"equal halves, odd: the first gets the extra cell", 39, []cell{p(1, 0, 0), p(1, 0, 0)}, []int{20, 19}},
		{"by weight", 100, []cell{p(36, 0, 0), p(32, 0, 0), p(32, 0, 0)}, []int{36, 32, 32}},
		{"a minimum holds, the rest share", 80, []cell{p(36, 30, 44), p(32, 0, 0), p(32, 0, 0)}, []int{30, 25, 25}},
		{"a maximum holds", 200, []cell{p(36, 30, 44), p(32, 0, 0), p(32, 0, 0)}, []int{44, 78, 78}},
		{"largest remainder", 39, []cell{p(45, 12, 0), p(55, 14, 0)}, []int{18, 21}},
		{"both bounds", 140, []cell{p(30, 44, 56), p(70, 0, 0)}, []int{44, 96}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := share(tt.n, tt.kids, 0); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("share(%d, …) = %v, want %v", tt.n, got, tt.want)
			}
		})
	}
}

// TestLayoutTable checks that each size class of the table places every
// panel once and fills the terminal exactly.
func TestLayoutTable(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 140, 45)
	for _, s := range m.layouts {
		t.Run(s.name, func(t *testing.T) {
			seen := map[panel]int{}
			var walk func(c cell)
			walk = func(c cell) {
				if d, ok := c.p.(*deck); ok {
					for _, card := range d.cards {
						seen[card.p]++
					}
				} else if c.p != nil {
					seen[c.p]++
				}
				for _, k := range c.kids {
					walk(k)
				}
			}
			walk(s.root)
			all := []panel{&m.header, &m.loss, &m.acc, &m.layers, &m.maps, cardOf[*flowPanel](m), cardOf[*augmentPanel](m), &m.pred, &m.help}
			switch {
			case s.keys: // the keys take the body
				all = []panel{&m.header, &m.keysHelp, &m.help}
			case s.deep && s.minW < 120: // a deep view takes the charts' lines
				all = []panel{&m.header, &m.layers, &m.maps, cardOf[*flowPanel](m), cardOf[*augmentPanel](m), &m.pred, &m.help}
			case s.tour && s.minW < 120: // the tour's band takes the layers' and the charts' place
				all = []panel{&m.header, &m.tourText, &m.maps, cardOf[*flowPanel](m), cardOf[*augmentPanel](m), &m.pred, &m.help}
			case s.tour:
				all = append(all, &m.tourText)
			}
			for _, p := range all {
				if seen[p] != 1 {
					t.Errorf("%T placed %d times, want once", p, seen[p])
				}
			}
			m.keysOpen, m.maps.insp.on, m.tourOpen = s.keys, s.deep, s.tour
			m.Update(tea.WindowSizeMsg{Width: s.minW, Height: s.minH})
			if m.active == nil || m.active.name != s.name {
				t.Fatalf("layout at %d×%d is %v, want %s", s.minW, s.minH, m.active, s.name)
			}
			v := m.View()
			if w, h := lipgloss.Width(v), lipgloss.Height(v); w != s.minW || h != s.minH {
				t.Errorf("View() at %d×%d is %d×%d", s.minW, s.minH, w, h)
			}
		})
	}
}

// TestNothingCutThatMatters checks, at the smallest and the common sizes
// and with a pending activation and learning rate, that the header keeps
// the state and the running loss and accuracy, that the charts keep their
// legends, and that the key bar keeps help and quit.
func TestNothingCutThatMatters(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {119, 40}, {120, 40}, {140, 45}} {
		t.Run(sizeName(sz), func(t *testing.T) {
			m, _ := trainedModel(t, asciiStyles(), sz[0], sz[1])
			press(m, "a", "-") // not confirmed by the fake trainer: shown as pending
			v := ansi.Strip(m.View())
			for _, want := range []string{"● training", "→ sigmoid", "loss 0.4000 acc 88.00%", "━ train", "◆ test", "? help", "q quit"} {
				if !strings.Contains(v, want) {
					t.Errorf("View() at %v lacks %q:\n%s", sz, want, v)
				}
			}
		})
	}
}

// TestFailureAdvice feeds the header the failure the engine really sends
// for the 2017 note's program with ReLU and checks that it states the
// engine's facts and gives advice in this program's keys, not the plain
// view's flags for what a key can do.
func TestFailureAdvice(t *testing.T) {
	m := failedModel(t, 140, 45)
	f := realFailure()
	m.header.setBare(true)
	m.header.setSize(1000, natural) // one line: no wrapping to search across
	v := ansi.Strip(m.header.view())
	for _, want := range []string{
		"✘ failed",
		"Training failed: " + f.String() + ".",
		"switch the activation (a/A)",
		"then press r",
		"--init he",     // no key changes the initialiser
		"--loss stable", // nor the loss
	} {
		if !strings.Contains(v, want) {
			t.Errorf("header after %v lacks %q:\n%s", f, want, v)
		}
	}
	for _, flag := range []string{"--lr", "--activation"} {
		if strings.Contains(v, flag) {
			t.Errorf("header names the flag %s, which a key does the work of:\n%s", flag, v)
		}
	}
	if strings.Contains(v, "(-)") {
		t.Errorf("header advises a lower rate for a NaN in batch 1, before any update:\n%s", v)
	}
	later := f
	later.Step, later.Cause = 500, engine.CauseOverflow
	if a := Advice(later); !strings.Contains(a, "lower the learning rate (-)") {
		t.Errorf("Advice(a NaN at step 500) = %q, want it to offer a lower rate (-)", a)
	}
}

// TestLossText: a blown-up loss keeps its place on the header line.
func TestLossText(t *testing.T) {
	for v, want := range map[float64]string{0.04093: "0.0409", 2.302585: "2.3026", 3.380171519645667e25: "3.38e+25", math.NaN(): "NaN"} {
		if got := lossText(v); got != want {
			t.Errorf("lossText(%g) = %q, want %q", v, got, want)
		}
	}
}

// TestPanicAdvice feeds the screen the Failed event the trainer sends when
// it recovers a panic: the header says the trainer crashed, where its stack
// is, that it is a bug and not the settings, and offers no setting to
// change.
func TestPanicAdvice(t *testing.T) {
	m, _, _ := newArchModel(t, asciiStyles(), 140, 45, "seed-code", engine.ReLU, 0.001)
	f := realFailure()
	f.Cause, f.Panic, f.Log = engine.CausePanic, "runtime error: index out of range [7] with length 7", "/tmp/lenet-tui-crash-1.log"
	feed(m, f)
	if m.state != stateFailed {
		t.Fatalf("state after a recovered panic = %v, want failed", m.state)
	}
	m.header.setBare(true)
	m.header.setSize(1000, natural)
	v := ansi.Strip(m.header.view())
	for _, want := range []string{
		"✘ failed",
		"the trainer crashed at epoch 1, batch 1 (step 1): runtime error: index out of range [7] with length 7; its stack is in /tmp/lenet-tui-crash-1.log",
		"This is a bug in lenet-tui, not in your settings",
		"Press r to start again, q to quit.",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("header after a panic lacks %q:\n%s", want, v)
		}
	}
	for _, advice := range []string{"--init", "--loss", "(a/A)", "(-)"} {
		if strings.Contains(v, advice) {
			t.Errorf("header after a panic offers %q, but no setting fixes a bug:\n%s", advice, v)
		}
	}
}
