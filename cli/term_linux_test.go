package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/term"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair: what is written to tty is read
// from master. It skips the test where the system has none to give.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		master.Close()
		t.Skipf("no pseudo-terminal: unlock: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		master.Close()
		t.Skipf("no pseudo-terminal: number: %v", err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		t.Skipf("no pseudo-terminal: /dev/pts/%d: %v", n, err)
	}
	return master, tty
}

// TestDumbTerminalTrainsInPlainText runs the default command with its
// output on a real (pseudo-)terminal that says TERM=dumb: it must train
// in plain text, as into a pipe, and not open the terminal UI. The output
// is a terminal (checked), there is no --json, so TERM is what decides.
// Were it ignored, the UI would draw on the test's own terminal and this
// terminal would get no table of epochs.
func TestDumbTerminalTrainsInPlainText(t *testing.T) {
	master, tty := openPTY(t)
	defer master.Close()
	if !term.IsTerminal(tty.Fd()) {
		t.Fatalf("/dev/pts: IsTerminal = false; the test needs a terminal")
	}
	t.Setenv("TERM", "dumb")
	var out bytes.Buffer
	read := make(chan struct{})
	go func() { // drain the terminal so that writes never block
		_, _ = io.Copy(&out, master) // ends with EIO once tty is closed
		close(read)
	}()
	type result struct {
		code   int
		stderr string
	}
	args := []string{"--data", tinyMNIST(t), "--epochs", "1", "--batch", "32", "--runs", t.TempDir()}
	done := make(chan result, 1)
	go func() {
		var errb bytes.Buffer
		code := Run(args, tty, &errb)
		done <- result{code, errb.String()}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatalf("TERM=dumb on a terminal: still running after 2 minutes (the terminal UI waits for q?)")
	}
	tty.Close()
	<-read
	got := out.String()
	if r.code != 0 {
		t.Fatalf("TERM=dumb on a terminal: exit %d, stderr %q, output %q", r.code, r.stderr, got)
	}
	for _, want := range []string{"lenet5 on", "epoch  train loss", "\r\n    1 "} {
		if !strings.Contains(got, want) {
			t.Errorf("TERM=dumb on a terminal printed %q; want the plain trainer's %q", got, want)
		}
	}
	if strings.Contains(got, "\x1b[") {
		t.Errorf("TERM=dumb on a terminal printed escape sequences (the terminal UI?): %q", got)
	}
}
