package engine

import (
	"runtime"
	"time"
)

// spinFor is how long a side of the workers' handoff looks for its signal,
// yielding the processor between looks, before it blocks on the channel.
//
// Training hands every batch to the workers twice (the passes, then the
// update) and waits for them twice, a few hundred microseconds apart. A
// goroutine that blocks there parks its thread, and the thread's CPU goes
// idle; waking it again costs the next handoff tens to hundreds of
// microseconds on a virtual machine, every time. An execution trace of the
// default run showed the workers, once handed their job, runnable but not
// running for 1.6 s of 9.6 s. Looking for a little while first keeps both
// CPUs awake between handoffs; yielding while looking lets the screen have
// the processor meanwhile. Past spinFor (a pause, a long evaluation) the
// side blocks as before.
//
// spinFor is wall time, and counts the turns the screen's goroutines take
// while the side yields, a few milliseconds at a frame: at 200 µs, a
// trace of the terminal UI showed a processor idle for 1.2 s of a 5.6 s
// run (0.3 s under train), mostly after a side had yielded to a frame
// and then blocked. 2 ms outlasts a frame; train is no slower for it.
const spinFor = 2 * time.Millisecond

// receive returns the next value from c, and false once c is closed and
// empty, as a receive would; it looks for up to spinFor before blocking.
func receive[T any](c <-chan T) (T, bool) {
	var deadline time.Time
	for i := 0; ; i++ {
		select {
		case v, ok := <-c:
			return v, ok
		default:
		}
		if i%8 == 0 {
			now := time.Now()
			if deadline.IsZero() {
				deadline = now.Add(spinFor)
			} else if now.After(deadline) {
				break
			}
		}
		runtime.Gosched()
	}
	v, ok := <-c
	return v, ok
}
