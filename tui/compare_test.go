package tui

import (
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/lenet-tui/lenet-tui/runfolder"
)

// TestCompareView: golden views of the compare screen over the README's
// run folders (docs/runs: the note's comparison) at three sizes, and q
// quits.
func TestCompareView(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("..", "docs", "runs", "*"))
	if err != nil || len(dirs) != 4 {
		t.Fatalf("docs/runs: %v (%v), want the README's four run folders", dirs, err)
	}
	runs := make([]*runfolder.Run, len(dirs))
	for i, d := range dirs {
		if runs[i], err = runfolder.Read(d); err != nil {
			t.Fatal(err)
		}
	}
	keys := runfolder.Differing(runs)
	labels := make([]string, len(runs))
	for i, r := range runs {
		labels[i] = runfolder.Label(r, keys)
	}
	m := newCompareModel(asciiStyles(), "4 runs of seed-code on mnist, differing in "+strings.Join(keys, ", "), runs, labels)
	for _, sz := range [][2]int{{80, 24}, {120, 40}, {50, 10}} {
		m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		v := m.View()
		for i, line := range strings.Split(v, "\n") {
			if w := ansi.StringWidth(line); w > sz[0] {
				t.Errorf("%v: line %d is %d cells wide", sz, i, w)
			}
		}
		golden(t, "compare-"+sizeName(sz), v)
	}
	if _, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")}); cmd == nil {
		t.Errorf("q: no quit command")
	}
}

// TestCompareEscapes: a title or label holding terminal escapes (read from
// a run folder) is drawn escaped: the screen holds no ESC or BEL of its
// own (the ASCII styles draw none).
func TestCompareEscapes(t *testing.T) {
	r := &runfolder.Run{Dir: "run", Points: []runfolder.Point{{Step: 1, Epoch: 0.5, Loss: 1, Acc: 0.5}, {Step: 2, Epoch: 1, Loss: 0.5, Acc: 0.7}}}
	m := newCompareModel(asciiStyles(), "runs of \x1b]0;pwned\a", []*runfolder.Run{r}, []string{"key\x1b[2J: v"})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	v := m.View()
	if strings.ContainsAny(v, "\x1b\a") || !strings.Contains(v, `runs of \x1b]0;pwned\a`) || !strings.Contains(v, `key\x1b[2J: v`) {
		t.Errorf("compare screen with escapes in its title and label:\n%q", v)
	}
}

// readRuns reads the run folders dirs, labelled as compare labels them.
func readRuns(t *testing.T, dirs ...string) (runs []*runfolder.Run, labels []string) {
	t.Helper()
	for _, d := range dirs {
		r, err := runfolder.Read(d)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	keys := runfolder.Differing(runs)
	for _, r := range runs {
		labels = append(labels, runfolder.Label(r, keys))
	}
	return runs, labels
}

// TestCompareSwitches: two real runs switched as they trained (kept by the
// terminal UI's recorder: testdata/switched) are named by what they became
// and when, and each switch is a ▲ on its run's lines.
func TestCompareSwitches(t *testing.T) {
	runs, labels := readRuns(t, filepath.Join("testdata", "switched", "sigmoid-to-relu"), filepath.Join("testdata", "switched", "relu-to-sigmoid"))
	m := newCompareModel(asciiStyles(), "2 runs of lenet5 on synthetic, differing in activation", runs, labels)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	v := m.View()
	for _, want := range []string{"1 activation: sigmoid→relu @1.0 ep", "2 activation: relu→sigmoid @1.5 ep", "▲ a switch"} {
		if !strings.Contains(v, want) {
			t.Errorf("compare view lacks %q", want)
		}
	}
	if n := strings.Count(v, "▲"); n != 5 {
		t.Errorf("compare view has %d ▲, want 5: one a switch on each chart and the key's", n)
	}
	golden(t, "compare-switched-100x30", v)
}

// TestCompareManyRuns: 50 runs are more than the screen has colours and
// room for: it draws the first 9, one a colour, says how many more there
// are, and keeps the charts.
func TestCompareManyRuns(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("..", "docs", "runs", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("docs/runs: %v (%v)", dirs, err)
	}
	four, _ := readRuns(t, dirs...)
	var runs []*runfolder.Run
	var labels []string
	for i := range 50 {
		runs, labels = append(runs, four[i%len(four)]), append(labels, "run "+itoa(i+1))
	}
	m := newCompareModel(colorStyles(), "50 runs", runs, labels)
	for _, sz := range [][2]int{{120, 40}, {80, 24}, {60, 16}} {
		m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		v := m.View()
		if h := lipgloss.Height(v); h > sz[1] {
			t.Errorf("%v: the view is %d lines high", sz, h)
		}
		plain := ansi.Strip(v)
		if !strings.Contains(plain, "Loss") || !strings.Contains(plain, "Accuracy") {
			t.Errorf("%v: no charts:\n%s", sz, plain)
		}
		shown := m.drawn(sz[1] - 1)
		if !strings.Contains(plain, "+"+itoa(50-len(shown))+" more not drawn") {
			t.Errorf("%v: %d runs drawn, and no note of the %d more:\n%s", sz, len(shown), 50-len(shown), plain)
		}
		colours := map[string]bool{}
		for _, r := range shown {
			colours[r.style.Render("x")] = true
		}
		if len(colours) != len(shown) || len(shown) > 9 {
			t.Errorf("%v: %d runs drawn in %d colours, want each its own (at most 9)", sz, len(shown), len(colours))
		}
	}
}
