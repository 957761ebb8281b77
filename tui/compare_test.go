package tui

import (
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
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
