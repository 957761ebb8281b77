package dataset

import "sync"

// Stream runs a Batcher on its own goroutine, filling the next batches
// (distorting them, if the Batcher augments) while the caller trains on the
// current one: on two cores the distortions then cost little of the
// training's time. It yields the batches of a fixed number of epochs, in
// the order the Batcher would, through a few buffers it owns, so a batch
// costs no allocation. Next and Close are for one goroutine.
type Stream struct {
	bufs   []streamBuf
	filled chan int // indices of filled buffers, in order
	free   chan int // indices of buffers the consumer has given back
	quit   chan struct{}
	wg     sync.WaitGroup
	held   int // the buffer the consumer holds, or -1
	closed bool
}

type streamBuf struct {
	x []float32 // (batch, 1, Rows, Cols)
	y []uint8   // (batch)
	n int       // images filled
}

// streamDepth is the number of buffers: one the caller trains on, one being
// filled, one ready for when a batch is quick.
const streamDepth = 3

// NewStream starts a goroutine that takes over b, scaling pixels through
// sc: for each of epochs epochs it calls b.Reset, skips the first skip
// batches of the first one, then fills every batch of the epoch. b must not
// be used by anyone else until Close has returned.
func NewStream(b *Batcher, sc *Scale, epochs, skip int) *Stream {
	st := &Stream{
		filled: make(chan int, streamDepth),
		free:   make(chan int, streamDepth),
		quit:   make(chan struct{}),
		held:   -1,
	}
	size := b.set.Rows * b.set.Cols
	for i := range streamDepth {
		st.bufs = append(st.bufs, streamBuf{x: make([]float32, b.batch*size), y: make([]uint8, b.batch)})
		st.free <- i
	}
	scale := *sc
	st.wg.Add(1)
	go func() {
		defer st.wg.Done()
		defer close(st.filled)
		for e := range epochs {
			b.Reset()
			if e == 0 {
				b.Skip(skip)
			}
			for {
				var i int
				select {
				case i = <-st.free:
				case <-st.quit:
					return
				}
				buf := &st.bufs[i]
				if buf.n = b.Next(buf.x, buf.y, &scale); buf.n == 0 {
					st.free <- i // never blocks: the buffer came from free
					break
				}
				st.filled <- i // never blocks: there are as many slots as buffers
			}
		}
	}()
	return st
}

// Next gives back the batch it returned last and returns the next one: x,
// (n, 1, Rows, Cols), and y, (n), valid until the next call of Next or
// Close. It returns n = 0 once every batch of the epochs asked for has been
// returned, or after Close.
func (st *Stream) Next() (x []float32, y []uint8, n int) {
	if st.held >= 0 {
		st.free <- st.held
		st.held = -1
	}
	if st.closed {
		return nil, nil, 0
	}
	i, ok := <-st.filled
	if !ok {
		return nil, nil, 0
	}
	st.held = i
	b := &st.bufs[i]
	return b.x, b.y, b.n
}

// Close stops the goroutine and waits for it to return. It may be called
// more than once.
func (st *Stream) Close() {
	if st.closed {
		return
	}
	st.closed = true
	close(st.quit)
	st.wg.Wait()
}
