package engine

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
)

// crash is a panic caught on a worker's goroutine, with its stack, to be
// raised again on the trainer's.
type crash struct {
	value any
	stack []byte
}

// runCaught runs j, keeping a panic in w.fault instead of crashing the
// program from a goroutine nobody can recover.
func (w *worker) runCaught(j job) {
	defer func() {
		if r := recover(); r != nil {
			w.fault = &crash{value: r, stack: debug.Stack()}
		}
	}()
	w.run(j)
}

// recoverCrash, deferred by Run, turns a panic into a Failed event with
// CausePanic: the panic's message, and its stack in a log file in
// os.TempDir, named in the event, since a view has no room for it.
func (t *Trainer) recoverCrash(ctx context.Context) {
	r := recover()
	if r == nil {
		return
	}
	c, ok := r.(*crash)
	if !ok {
		c = &crash{value: r, stack: debug.Stack()}
	}
	f := Failed{Cause: CausePanic, Step: t.step + 1, Settings: t.cfg.Settings, Panic: fmt.Sprint(c.value)}
	f.Settings.Activation, f.Settings.LR = t.net.hidden, float64(t.lr)
	if t.batches > 0 {
		f.Epoch, f.Batch = t.step/t.batches+1, t.step%t.batches+1
	}
	f.Log, f.LogErr = writeCrashLog(f, c.stack)
	t.emit(ctx, f)
}

// writeCrashLog writes what is known of a crash to a new file in
// os.TempDir and returns its path.
func writeCrashLog(f Failed, stack []byte) (path, problem string) {
	file, err := os.CreateTemp("", "lenet-tui-crash-*.log")
	if err != nil {
		return "", err.Error()
	}
	_, err = fmt.Fprintf(file, "lenet-tui: the trainer panicked at epoch %d, batch %d (step %d): %s\nsettings: %+v\n\n%s",
		f.Epoch, f.Batch, f.Step, f.Panic, f.Settings, stack)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return file.Name(), err.Error()
	}
	return file.Name(), ""
}
