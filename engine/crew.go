package engine

import (
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// crew runs the rounds of jobs a training step is made of (the passes,
// then the update), one job per worker, on the trainer's goroutine and one
// goroutine for each other worker.
//
// A job belongs to its worker, not to a goroutine: each goroutine takes
// its own worker's job first, then any job of the round that nobody has
// taken yet. Every side of a step once waited for the slowest; when the
// screen had one of the two processors for a frame, the other side sat out
// the frame. Now it does the missing job itself. Whichever goroutine runs
// a job, the job reads and writes only its worker's replica and buffers
// (gradients, loss, flow meter, a failing chunk), which are summed in
// worker order as before: a run gives the same bits however its jobs
// fell.
type crew struct {
	ws    []*worker
	idle  func() bool     // work to do between rounds, one piece a call; reports whether there was any
	jobs  []job           // the round's jobs; jobs[i] is ws[i]'s
	round atomic.Uint64   // the round begun last; 1 is the first
	taken []atomic.Uint64 // taken[i] is the last round whose jobs[i] was taken
	left  atomic.Int32    // jobs of the round not finished yet
	wake  []chan struct{} // wake[i-1] tells ws[i]'s goroutine a round has begun
	done  chan struct{}   // the round's last job is finished
	quit  sync.WaitGroup  // the goroutines still going
	// idleFault is a panic in idle, raised again on the trainer's goroutine
	// after the next round; idle is not called again once it is set.
	idleFault atomic.Pointer[crash]
}

// newCrew starts a goroutine for every worker but the first, whose jobs
// the trainer's goroutine runs, first of all. Between rounds, the other
// goroutines call idle, if not nil, until it reports there is nothing to
// do or a round has begun: the trainer's next batches are filled so (the
// trainer does their share of a round while they finish a piece).
func newCrew(ws []*worker, idle func() bool) *crew {
	c := &crew{ws: ws, idle: idle, jobs: make([]job, len(ws)), taken: make([]atomic.Uint64, len(ws)),
		wake: make([]chan struct{}, len(ws)-1), done: make(chan struct{}, 1)}
	for i := range c.wake {
		// One signal pending is enough: a goroutine that wakes looks at
		// the round there is then.
		c.wake[i] = make(chan struct{}, 1)
		c.quit.Add(1)
		go func() {
			defer c.quit.Done()
			for {
				if _, ok := receive(c.wake[i]); !ok {
					return
				}
				c.work(i + 1)
				for len(c.wake[i]) == 0 && c.idleCaught() {
				}
			}
		}()
	}
	return c
}

// stop ends the goroutines, once they are between rounds, and waits for
// them to be gone.
func (c *crew) stop() {
	for _, w := range c.wake {
		close(w)
	}
	c.quit.Wait()
}

// run runs the round c.jobs, which the caller has set, and returns when
// every job is finished. A panic in a job is raised again here, on the
// trainer's goroutine, once the round is over.
func (c *crew) run() {
	c.left.Store(int32(len(c.jobs)))
	c.round.Add(1) // publishes c.jobs to the goroutines that load it
	for _, w := range c.wake {
		select {
		case w <- struct{}{}:
		default: // a signal is pending already
		}
	}
	c.work(0)
	receive(c.done)
	for _, w := range c.ws {
		if f := w.fault; f != nil {
			w.fault = nil
			panic(f)
		}
	}
	if f := c.idleFault.Load(); f != nil {
		panic(f)
	}
}

// idleCaught calls idle, keeping a panic in idleFault, and reports
// whether idle did something.
func (c *crew) idleCaught() (did bool) {
	if c.idle == nil || c.idleFault.Load() != nil {
		return false
	}
	defer func() {
		if r := recover(); r != nil {
			c.idleFault.Store(&crash{value: r, stack: debug.Stack()})
			did = false
		}
	}()
	return c.idle()
}

// work runs the jobs of the current round that nobody has taken, own
// first. A goroutine that wakes late, after its round is over, finds all
// taken and does nothing; the jobs of a later round are not set until
// every job of the earlier is finished.
func (c *crew) work(own int) {
	r := c.round.Load()
	for k := range c.jobs {
		i := (own + k) % len(c.jobs)
		if prev := c.taken[i].Load(); prev >= r || !c.taken[i].CompareAndSwap(prev, r) {
			continue
		}
		c.ws[i].runCaught(c.jobs[i])
		if c.left.Add(-1) == 0 {
			c.done <- struct{}{}
		}
	}
}
