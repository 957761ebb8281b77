package tui

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// drawAndAdd draws a stroke with the pen (keys: the arrows after space)
// and adds it to the pad's folder as class (enter, the class typed, enter),
// running the commands as Bubble Tea would. It returns the drawing as
// the net saw it and the message that says what became of it.
func drawAndAdd(t *testing.T, m *model, stroke []string, class string) ([]uint8, padSavedMsg) {
	t.Helper()
	press(m, "x")
	for _, cmd := range press(m, append([]string{"space"}, stroke...)...) {
		if cmd != nil {
			m.Update(cmd())
		}
	}
	press(m, "space") // the pen up
	drawn := slices.Clone(m.pad.prepared)
	press(m, "enter")
	if !m.pad.asking {
		t.Fatalf("enter on a drawing should ask for its class")
	}
	m.pad.class = nil
	for _, r := range class {
		press(m, string(r))
	}
	cmd := press(m, "enter")[0]
	if cmd == nil {
		t.Fatalf("enter after the class %q: no command to write the drawing", class)
	}
	msg, ok := cmd().(padSavedMsg)
	if !ok {
		t.Fatalf("the command's message is not padSavedMsg")
	}
	if _, next := m.Update(msg); next != nil {
		m.Update(next()) // the cleared canvas: the test digit is the probe again
	}
	return drawn, msg
}

// TestPadAddsToFolder: enter on a drawing asks for its class; the letters
// typed are the class (c, i, e, q do not switch views or quit); enter
// writes the drawing as a 28×28 grey PNG under DIR/train/<class>/, says so
// and clears the canvas; ↑ offers the class again. The folder made so is
// an image folder the dataset reads, each drawing as its class.
func TestPadAddsToFolder(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 120, 40)
	dir := filepath.Join(t.TempDir(), "drawings")
	m.pad.folder = dir
	press(m, "d")
	m.View()
	if help := ansi.Strip(m.help.view()); !strings.Contains(help, "enter add to folder") {
		t.Errorf("the footer does not offer enter: %q", help)
	}
	down, across := []string{"down", "down", "down", "down", "down", "down"}, []string{"right", "right", "right", "right", "right", "right"}
	drawings := map[string][][]uint8{}
	for _, d := range []struct {
		stroke []string
		class  string
	}{{down, "circle q"}, {across, "cross"}, {down, "circle q"}, {across, "cross"}} {
		drawn, msg := drawAndAdd(t, m, d.stroke, d.class)
		if msg.err != nil {
			t.Fatalf("adding a drawing as %q: %v", d.class, msg.err)
		}
		drawings[d.class] = append(drawings[d.class], drawn)
		if filepath.Dir(msg.path) != filepath.Join(dir, "train", d.class) || msg.pictures != len(drawings[d.class]) {
			t.Errorf("added as %q: %s, %d pictures in its class; want a file in %s/train/%s, %d", d.class, msg.path, msg.pictures, dir, d.class, len(drawings[d.class]))
		}
		if v := ansi.Strip(m.View()); !strings.Contains(v, fmt.Sprintf("added to %s: %d drawing(s)", d.class, len(drawings[d.class]))) || m.lower.current() != &m.pad {
			t.Errorf("after adding, the pad should say so:\n%s", v)
		}
		if m.pad.prepared != nil || slices.Max(m.pad.canvas) != 0 {
			t.Errorf("after adding, the canvas should be clear for the next drawing")
		}
		f, err := os.Open(msg.path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if g, ok := img.(*image.Gray); err != nil || !ok || g.Rect != image.Rect(0, 0, 28, 28) || !slices.Equal(g.Pix, drawn) {
			t.Fatalf("%s: decodes as %T (%v), want the drawing as a 28×28 grey PNG", msg.path, img, err)
		}
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "2 classes: train --data") {
		t.Errorf("with two classes, the pad should say how to train on them:\n%s", v)
	}
	press(m, "enter")
	if m.pad.asking {
		t.Errorf("enter on a blank canvas should not ask for a class")
	}
	checkDrawingsLoad(t, dir, drawings)
}

// checkDrawingsLoad reads the folder the pad made as the dataset does for
// train --data (pictures already 28×28 grey kept as they are), and finds
// every drawing once, labelled with its class.
func checkDrawingsLoad(t *testing.T, dir string, drawings map[string][][]uint8) {
	t.Helper()
	train, test, err := dataset.Load(dir, "drawings", dataset.Options{KeepSize: true})
	if err != nil {
		t.Fatalf("dataset.Load(%s) = %v", dir, err)
	}
	if want := []string{"circle q", "cross"}; !slices.Equal(train.Names, want) {
		t.Fatalf("the folder's classes are %q, want %q", train.Names, want)
	}
	found := 0
	for _, s := range []*dataset.Set{train, test} {
		for i := range s.Count {
			class := s.Names[s.Labels[i]]
			if !slices.ContainsFunc(drawings[class], func(d []uint8) bool { return slices.Equal(d, s.Image(i)) }) {
				t.Errorf("%s image %d, labelled %q, is none of that class's drawings", s.Name, i, class)
			}
			found++
		}
	}
	if found != 4 {
		t.Errorf("the dataset holds %d images, want the 4 drawings", found)
	}
}

// TestPadAskKeys: while the class is asked for, every key is text (q does
// not quit), backspace deletes, ↑/↓ offer the run's classes, a class the
// folder reader would skip or split is refused with why, and esc gives
// up; the footer names only the keys of the question.
func TestPadAskKeys(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 120, 40)
	m.pad.folder = t.TempDir()
	press(m, "d", "space", "down", "down", "space")
	press(m, "enter")
	if cmds := press(m, "q", "c", "e"); m.pad.class == nil || string(m.pad.class) != "qce" || slices.ContainsFunc(cmds, func(c tea.Cmd) bool { return c != nil }) || m.lower.current() != &m.pad {
		t.Fatalf("typing q, c, e: class %q, view %T; want them typed", string(m.pad.class), m.lower.current())
	}
	if help := ansi.Strip(m.help.view()); !strings.Contains(help, "esc cancel") || strings.Contains(help, "pause") {
		t.Errorf("while asking, the footer should name the question's keys only: %q", help)
	}
	press(m, "backspace", "backspace", "backspace", "up")
	if got := string(m.pad.class); got != "9" {
		t.Errorf("↑ on an empty class = %q, want the run's last class, 9", got)
	}
	for _, bad := range []string{".hidden", "a/b", " "} {
		m.pad.class = []rune(bad)
		if cmd := press(m, "enter")[0]; cmd != nil || !m.pad.asking || !strings.Contains(ansi.Strip(m.View()), "class: "+bad) {
			t.Errorf("the class %q should be refused, the question kept:\n%s", bad, ansi.Strip(m.View()))
		}
	}
	press(m, "esc")
	if m.pad.asking || m.lower.current() != &m.pad {
		t.Errorf("esc should give up the question and keep the pad")
	}
}

// TestAddDrawingRefuses: a folder that cannot take the drawing (a file
// where the class folder goes) is said, and nothing is written.
func TestAddDrawingRefuses(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "train"), []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	msg := addDrawing(dir, "seven", make([]uint8, padSide*padSide), time.Now())
	if msg.err == nil || msg.path != "" {
		t.Fatalf("addDrawing into a folder whose train is a file = %+v, want an error", msg)
	}
	if !strings.Contains(msg.err.Error(), "cannot make the class folder") {
		t.Errorf("error %q, want it to say the class folder could not be made", msg.err)
	}
}
