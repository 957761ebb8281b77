package tui

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/lenet-tui/lenet-tui/digit"
	"github.com/lenet-tui/lenet-tui/engine"
)

// padCell is the screen cell of the pad's canvas cell (cx, cy), as the
// terminal reports a mouse there.
func padCell(m *model, cx, cy int) (x, y int) {
	p, st := &m.pad, m.st.Panel
	return p.x + st.GetBorderLeftSize() + st.GetPaddingLeft() + p.area.x + cx, p.y + st.GetBorderTopSize() + 1 + p.area.y + cy
}

func mouse(m *model, cx, cy int, action tea.MouseAction, button tea.MouseButton) tea.Cmd {
	x, y := padCell(m, cx, cy)
	_, cmd := m.Update(tea.MouseMsg{X: x, Y: y, Action: action, Button: button})
	return cmd
}

// sameType reports whether two messages are of one type: Bubble Tea's
// mouse on/off messages are unexported.
func sameType(a, b tea.Msg) bool { return fmt.Sprintf("%T", a) == fmt.Sprintf("%T", b) }

// deliver runs cmd and hands its message to the model, returning it.
func deliver(t *testing.T, m *model, cmd tea.Cmd) tea.Msg {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command")
	}
	msg := cmd()
	m.Update(msg)
	return msg
}

// TestPadMouse draws a vertical stroke with the mouse: press, motion
// (skipping cells, as a fast hand does), release. A cell is one pixel
// across and two down; the brush is full ink within ½ pixel of the stroke
// and fades to 0 at 1½, so the stroke from (14.5, 7) to (14.5, 21) in
// pixels inks column 14 fully and columns 13 and 15 half, rows 6 to 21.
// The drawing, prepared as MNIST was, goes to the trainer as the probe.
func TestPadMouse(t *testing.T) {
	m, env := trainedModel(t, asciiStyles(), 120, 40)
	if cmd := press(m, "d")[0]; cmd == nil || !sameType(cmd(), tea.EnableMouseCellMotion()) {
		t.Fatalf("d: the command should turn the mouse on")
	}
	if m.lower.current() != &m.pad {
		t.Fatalf("after d the lower half shows %T, want the pad", m.lower.current())
	}
	m.View() // places the canvas
	if a := m.pad.area; a.cols != padSide || a.rows != padSide/2 {
		t.Fatalf("at 120×40 the canvas is %d×%d cells, want %d×%d", a.cols, a.rows, padSide, padSide/2)
	}

	cmds := []tea.Cmd{mouse(m, 14, 3, tea.MouseActionPress, tea.MouseButtonLeft)}
	for _, cy := range []int{4, 7, 10} {
		cmds = append(cmds, mouse(m, 14, cy, tea.MouseActionMotion, tea.MouseButtonLeft))
	}
	if cmd := mouse(m, 14, 10, tea.MouseActionRelease, tea.MouseButtonNone); cmd != nil {
		t.Errorf("a release changed nothing, but returned a command")
	}
	for y := range padSide {
		for x := range padSide {
			want := 0.0
			switch {
			case y < 6 || y > 21:
			case x == 14:
				want = 1
			case (x == 13 || x == 15) && y > 6 && y < 21: // the ends are rounder
				want = 0.5
			case x == 13 || x == 15:
				continue
			}
			if got := m.pad.canvas[y*padSide+x]; math.Abs(got-want) > 1e-9 {
				t.Errorf("canvas pixel (%d, %d) = %.3f, want %.3f", x, y, got, want)
			}
		}
	}

	want, err := digit.Prepare(m.pad.canvas, padSide, padSide)
	if err != nil {
		t.Fatal(err)
	}
	// A bar: 20 rows, its mass at 9.5, so from round(14 − 9.5) = 5 (half up).
	for i, v := range want {
		if x, y := i%padSide, i/padSide; v > 0 && (x < 11 || x > 17 || y < 5 || y > 24) {
			t.Errorf("prepared pixel (%d, %d) = %d: outside the centred vertical bar", x, y, v)
		}
	}
	if !slices.Equal(m.pad.prepared, want) {
		t.Errorf("the pad's prepared digit differs from digit.Prepare of its canvas")
	}
	sent := len(env.sent)
	for _, cmd := range cmds {
		deliver(t, m, cmd)
	}
	if len(env.sent) != sent+len(cmds) {
		t.Fatalf("%d commands sent for %d changes of the drawing", len(env.sent)-sent, len(cmds))
	}
	if got, ok := env.sent[len(env.sent)-1].(engine.SetProbeImage); !ok || !slices.Equal(got.Pixels, want) {
		t.Errorf("last command sent = %#v, want SetProbeImage with the prepared drawing", env.sent[len(env.sent)-1])
	}

	// The trainer's answer: a real net's snapshot of the drawing.
	snap := atStep(realTrainer("lenet5", nil).ProbeImage(want), storyStep)
	probe := m.probe
	feed(m, snap)
	if m.probe != probe {
		t.Errorf("a snapshot of the drawing moved the test probe from %d to %d", probe, m.probe)
	}
	best := slices.Index(snap.Probs, slices.Max(snap.Probs))
	if v := m.View(); !strings.Contains(v, "top 3") || !strings.Contains(v, fmt.Sprintf("%d %6.1f%%", best, 100*snap.Probs[best])) {
		t.Errorf("the pad does not show the net's answer %d (%.1f%%):\n%s", best, 100*snap.Probs[best], v)
	}

	// The right button erases; off the canvas nothing happens.
	deliver(t, m, mouse(m, 14, 5, tea.MouseActionPress, tea.MouseButtonRight))
	if m.pad.canvas[10*padSide+14] != 0 || m.pad.canvas[20*padSide+14] != 1 {
		t.Errorf("erasing at cell (14, 5): pixel (14, 10) = %v, (14, 20) = %v; want 0 and 1", m.pad.canvas[10*padSide+14], m.pad.canvas[20*padSide+14])
	}
	before := slices.Clone(m.pad.canvas)
	if cmd := mouse(m, -3, 0, tea.MouseActionPress, tea.MouseButtonLeft); cmd != nil || !slices.Equal(before, m.pad.canvas) {
		t.Errorf("a press beside the canvas drew")
	}

	if cmd := press(m, "esc")[0]; cmd == nil || !sameType(cmd(), tea.DisableMouse()) {
		t.Errorf("esc: the command should turn the mouse off, for the terminal's own selection")
	}
	if m.lower.current() != &m.maps || !strings.Contains(m.View(), "your digit, step") {
		t.Errorf("after esc the maps should show the drawn digit")
	}
}

// TestPadKeys draws with the keyboard: while the pad is shown the arrows
// move its pen and space lowers it (no layer change, no pause); x clears,
// and the test digit is the probe again.
func TestPadKeys(t *testing.T) {
	m, env := trainedModel(t, asciiStyles(), 120, 40)
	press(m, "d")
	m.View()
	selected, state := m.selected, m.state
	cmds := press(m, "space", "right", "right", "right")
	if m.selected != selected || m.state != state || m.wantPaused {
		t.Errorf("space and → on the pad changed the layer or paused")
	}
	for y := range padSide {
		for x := range padSide {
			in := y == 14 && x >= 14 && x <= 17
			if got := m.pad.canvas[y*padSide+x]; in && got != 1 {
				t.Errorf("pen line: pixel (%d, %d) = %v, want 1", x, y, got)
			}
		}
	}
	for _, cmd := range cmds {
		deliver(t, m, cmd)
	}
	if _, ok := env.sent[len(env.sent)-1].(engine.SetProbeImage); !ok {
		t.Fatalf("drawing with the pen sent %#v, want SetProbeImage", env.sent[len(env.sent)-1])
	}
	if msg := deliver(t, m, press(m, "x")[0]); !reflect.DeepEqual(msg, useImageMsg{}) {
		t.Errorf("x sent %#v, want useImageMsg{} (back to the test digit)", msg)
	}
	if got, ok := env.sent[len(env.sent)-1].(engine.SetProbe); !ok || got.Index != m.probe || m.drawn != nil {
		t.Errorf("after x the model sent %#v, want SetProbe{%d}", env.sent[len(env.sent)-1], m.probe)
	}
	if slices.Max(m.pad.canvas) != 0 {
		t.Errorf("x left ink on the canvas")
	}
}

// TestPadGolden is the whole screen with the pad shown, a slanted stroke
// drawn and the net's answer for it; at 80×24 the canvas is shown at half
// size and the keys' help gives way.
func TestPadGolden(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		m, _ := trainedModel(t, asciiStyles(), size[0], size[1])
		press(m, "d")
		m.View()
		cols, rows := m.pad.area.cols, m.pad.area.rows
		mouse(m, cols*16/28, rows*2/14, tea.MouseActionPress, tea.MouseButtonLeft)
		mouse(m, cols*10/28, rows*11/14, tea.MouseActionMotion, tea.MouseButtonLeft)
		mouse(m, cols*10/28, rows*11/14, tea.MouseActionRelease, tea.MouseButtonNone)
		m.Update(useImageMsg{Pixels: m.pad.prepared})
		snap := atStep(realTrainer("lenet5", nil).ProbeImage(m.pad.prepared), storyStep)
		feed(m, snap)
		golden(t, fmt.Sprintf("screen-pad-%dx%d", size[0], size[1]), m.View())
	}
}

// TestPadAfterDone: once the run has finished, its net reads the drawing
// in a command; commands run at once and may answer out of order, and the
// answer for an older stroke must not replace the latest one's.
func TestPadAfterDone(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 120, 40)
	finish(m)
	tr := realTrainer("lenet5", nil)
	done := make(chan struct{})
	close(done)
	m.run.done, m.run.probe, m.run.probeImage = done, tr.Probe, tr.ProbeImage
	press(m, "d")
	m.View()
	mouse(m, 14, 2, tea.MouseActionPress, tea.MouseButtonLeft)
	first := mouse(m, 14, 8, tea.MouseActionMotion, tea.MouseButtonLeft)
	firstMsg := first()
	second := mouse(m, 14, 12, tea.MouseActionMotion, tea.MouseButtonLeft)
	secondMsg := second()
	_, older := m.Update(firstMsg)
	_, newer := m.Update(secondMsg)
	if older == nil || newer == nil {
		t.Fatal("after the run, a drawing should be read by a command")
	}
	latest := newer().(probedMsg)
	m.Update(latest)
	m.Update(older()) // the older stroke's answer, last
	if want := tr.ProbeImage(m.pad.prepared).Probs; !slices.Equal(m.pad.probs, want) || !slices.Equal(m.pred.snap.Probs, want) {
		t.Errorf("the pad and the probe show %v and %v, want the latest stroke's %v", m.pad.probs, m.pred.snap.Probs, want)
	}
	if !slices.Equal(latest.image, m.pad.prepared) {
		t.Errorf("the last command read another picture than the pad's")
	}
}
