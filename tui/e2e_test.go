package tui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lenet-tui/lenet-tui/runfolder"
)

// tmuxSession is a private tmux server (own socket) with one session.
type tmuxSession struct {
	t    *testing.T
	sock string
}

func (s tmuxSession) run(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", s.sock}, args...)...).CombinedOutput()
	return string(out), err
}

func (s tmuxSession) capture() string {
	out, err := s.run("capture-pane", "-p", "-t", "e2e")
	if err != nil {
		s.t.Fatalf("tmux capture-pane: %v: %s", err, out)
	}
	return out
}

func (s tmuxSession) keys(k ...string) {
	if out, err := s.run(append([]string{"send-keys", "-t", "e2e"}, k...)...); err != nil {
		s.t.Fatalf("tmux send-keys %v: %v: %s", k, err, out)
	}
}

// waitFor polls the pane until ok accepts it or timeout passes.
func (s tmuxSession) waitFor(what string, timeout time.Duration, ok func(screen string) bool) string {
	s.t.Helper()
	end := time.Now().Add(timeout)
	for {
		scr := s.capture()
		if ok(scr) {
			return scr
		}
		if time.Now().After(end) {
			s.t.Fatalf("timed out after %v waiting for %s; screen:\n%s", timeout, what, scr)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

var (
	progressRE = regexp.MustCompile(`epoch (\d+)/\d+ .*batch (\d+)/(\d+)`)
	actRE      = regexp.MustCompile(`act (\S+)( → (\S+))?`)
)

// position is (epoch, batch) from the header, or (0, 0).
func position(screen string) (int, int) {
	m := progressRE.FindStringSubmatch(screen)
	if m == nil {
		return 0, 0
	}
	e, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	return e, b
}

// step is the global batch the header shows, or 0.
func step(screen string) int {
	m := progressRE.FindStringSubmatch(screen)
	if m == nil {
		return 0
	}
	e, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	per, _ := strconv.Atoi(m[3])
	return (e-1)*per + b
}

// TestEndToEnd builds the real binary, runs it in a 140×45 tmux pane with
// the repository's default config, waits for training progress, checks the
// panels, switches the activation from sigmoid to ReLU with `a`, checks the
// header shows ReLU and training goes on, pauses with space at a batch it
// reads off the screen (see checkPauseLag), draws a digit on the pad with
// the mouse (checkPad), and quits with `q`, expecting exit status 0 within
// 3 s.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: trains on MNIST in a real terminal")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not on PATH")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "lenet-tui")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	conf := filepath.Join(t.TempDir(), "tmux.conf")
	if err := os.WriteFile(conf, []byte("set -g remain-on-exit on\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The shell records the exit status in a file the moment the program
	// ends: tmux may take seconds to mark the pane dead.
	status := filepath.Join(t.TempDir(), "status")
	// It starts on sigmoid, so that `a` must switch to ReLU.
	runs := t.TempDir()
	// Ten epochs: it must still be training when checkPauseLag presses
	// space, however fast the machine; q ends it.
	cmd := fmt.Sprintf("'%s' --activation sigmoid --epochs 10 --runs '%s'; echo $? > '%s'", bin, runs, status)
	s := tmuxSession{t: t, sock: fmt.Sprintf("lenet-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())}
	if out, err := s.run("-f", conf, "new-session", "-d", "-s", "e2e", "-x", "140", "-y", "45", "-c", root, cmd); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	t.Cleanup(func() { _, _ = s.run("kill-server") })

	scr := s.waitFor("training progress", 120*time.Second, func(scr string) bool {
		_, b := position(scr)
		return b > 0
	})
	for _, title := range []string{"lenet-tui", "Layers", "Loss", "Accuracy", "Feature maps", "Probe", "C3", "122,304", "q quit", "run folder → " + runs + "/"} {
		if !strings.Contains(scr, title) {
			t.Errorf("screen lacks %q:\n%s", title, scr)
		}
	}
	m := actRE.FindStringSubmatch(scr)
	if m == nil {
		t.Fatalf("no activation in the header:\n%s", scr)
	}
	if m[1] != "sigmoid" {
		t.Fatalf("activation shown = %s, want sigmoid (--activation sigmoid):\n%s", m[1], scr)
	}
	want := "relu"
	s.keys("a")
	scr = s.waitFor("activation "+want, 30*time.Second, func(scr string) bool {
		m := actRE.FindStringSubmatch(scr)
		return m != nil && m[1] == want && m[3] == ""
	})
	e0, b0 := position(scr)
	s.waitFor("training to go on", 30*time.Second, func(scr string) bool {
		e, b := position(scr)
		return e > e0 || (e == e0 && b > b0) || strings.Contains(scr, "finished")
	})

	checkPauseLag(t, s)
	checkPad(t, s)
	s.keys("q")
	end := time.Now().Add(3 * time.Second)
	for {
		if b, err := os.ReadFile(status); err == nil && len(b) > 0 {
			if code := strings.TrimSpace(string(b)); code != "0" {
				t.Errorf("exit status %s, want 0; screen:\n%s", code, s.capture())
			}
			checkRunFolder(t, runs)
			return
		}
		if time.Now().After(end) {
			t.Fatalf("still running 3 s after q; screen:\n%s", s.capture())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkPad draws a digit on the pad (d) through the terminal, as mouse
// reports (SGR: ESC [ < button ; x ; y M, m on release): a stroke down the
// middle of the canvas. The paused trainer reads it and the pad shows its
// top 3; back on the maps (esc) they show the drawing.
func checkPad(t *testing.T, s tmuxSession) {
	t.Helper()
	s.keys("d")
	scr := s.waitFor("the drawing pad", 10*time.Second, func(scr string) bool { return strings.Contains(scr, "Draw a digit") })
	lines := strings.Split(scr, "\n")
	row, col := -1, -1
	for i, l := range lines {
		if j := strings.Index(l, "Draw a digit"); j >= 0 {
			row, col = i, len([]rune(l[:j]))
			break
		}
	}
	if row < 0 || row+2 >= len(lines) {
		t.Fatalf("no pad title on the screen:\n%s", scr)
	}
	top := row + 1 // the canvas's first row, under its top border if it has one
	if r := []rune(lines[top]); col < len(r) && r[col] == '┌' {
		top++
	}
	x := col + 2 + padSide/2 // 1-based: the body's column is col+1, the canvas's first col+2
	mouse := func(button, y int, end string) string {
		return fmt.Sprintf("\x1b[<%d;%d;%d%s", button, x, top+1+y, end)
	}
	s.keys(mouse(0, 2, "M"))
	for y := 3; y <= 11; y++ {
		s.keys(mouse(32, y, "M"))
	}
	s.keys(mouse(0, 11, "m"))
	s.waitFor("the net's top 3 for the drawing", 10*time.Second, func(scr string) bool { return strings.Contains(scr, "top 3") })
	s.keys("Escape")
	s.waitFor("the maps of the drawing", 10*time.Second, func(scr string) bool {
		return strings.Contains(scr, "Feature maps") && strings.Contains(scr, "your digit")
	})
}

// checkPauseLag presses space at the batch the screen shows and checks that
// the run pauses within a few frames' worth of batches of it, at the pace
// the screen itself shows (two captures at least half a second apart, and
// as long as it takes the screen to move, up to paceTimeout): the screen
// keeps up with the trainer. Before the screen drained its events it was
// seconds behind, a thousand batches and more. It logs its reading. A run
// that has finished, or a screen that does not move for paceTimeout, is a
// failure, not a skip: the run is long enough by construction (--epochs)
// and the pace is measured for as long as a loaded machine needs, so
// neither happens unless the screen or the trainer is stuck.
func checkPauseLag(t *testing.T, s tmuxSession) {
	t.Helper()
	const (
		allowed     = 3 // frames: the screen's age, the key's way in, tmux's round trips
		paceTimeout = 15 * time.Second
	)
	scr := s.capture()
	first, t0 := step(scr), time.Now()
	shown, t1 := first, t0
	for shown <= first && !strings.Contains(scr, "finished") && time.Since(t0) < paceTimeout {
		time.Sleep(500 * time.Millisecond)
		scr = s.capture()
		shown, t1 = step(scr), time.Now()
	}
	switch {
	case strings.Contains(scr, "finished"):
		t.Errorf("pause lag: the run finished before space could be pressed (shown batch %d); screen:\n%s", shown, scr)
		return
	case shown <= first:
		t.Errorf("pause lag: the screen stayed at batch %d for %v; screen:\n%s", first, t1.Sub(t0).Round(time.Millisecond), scr)
		return
	}
	pace := float64(shown-first) / t1.Sub(t0).Seconds() // batches a second, as shown
	s.keys("Space")
	pressed := time.Now()
	scr = s.waitFor("❚❚ paused", 10*time.Second, func(scr string) bool {
		return strings.Contains(scr, "❚❚ paused") || strings.Contains(scr, "finished")
	})
	seen := time.Since(pressed)
	if strings.Contains(scr, "finished") {
		t.Errorf("pause lag: space at shown batch %d, but the run finished instead of pausing; screen:\n%s", shown, scr)
		return
	}
	paused := step(scr)
	limit := allowed*pace*frameInterval.Seconds() + 10
	t.Logf("pause lag: space at shown batch %d paused at %d: %d batches, %.0f ms at the shown pace of %.0f batches/s (limit %.0f batches); ❚❚ paused seen %v after the key",
		shown, paused, paused-shown, 1000*float64(paused-shown)/pace, pace, limit, seen.Round(time.Millisecond))
	if paused < shown || float64(paused-shown) > limit {
		t.Errorf("space at shown batch %d paused at %d: want within %.0f batches (%d frames at %.0f batches/s)",
			shown, paused, limit, allowed, pace)
	}
	s.keys("Space")
}

// checkRunFolder reads the one run folder under runs: its history holds the
// batches trained, the switch to ReLU and an end.
func checkRunFolder(t *testing.T, runs string) {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(runs, "*-lenet5-sigmoid"))
	if err != nil || len(dirs) != 1 {
		t.Fatalf("run folders under %s: %v (%v), want one", runs, dirs, err)
	}
	r, err := runfolder.Read(dirs[0])
	if err != nil {
		t.Fatalf("runfolder.Read(%s): %v", dirs[0], err)
	}
	if len(r.Points) == 0 || r.End == nil || len(r.Switches) == 0 || r.Switches[0].Activation != "relu" {
		t.Errorf("runfolder.Read(%s): %d batches, switches %+v, end %+v; want batches, a switch to relu, an end", dirs[0], len(r.Points), r.Switches, r.End)
	}
}
