package dataset

import (
	"runtime"
	"sync"
)

// Stream yields the batches of a Batcher over a fixed number of epochs, in
// the order the Batcher would, through a few buffers it owns, so a batch
// costs no allocation.
//
// Its batches are filled by whoever has time: Fill, called from any
// goroutine, fills the next streamPiece images of the batch ahead into a
// free buffer (the trainer's helpers call it between their jobs, and look
// for a job between pieces: a whole batch at a time had held a helper's
// share of the step back by as long as a batch takes to fill), and Next
// fills the rest of one itself when none is ready. The Stream once filled
// on a goroutine of its own, which on a machine whose every core trains
// mostly waited: the Go scheduler runs a goroutine on the processor of the
// one that woke it, and the trainer that woke it (by giving back a buffer)
// trained on without a break, so the batch was filled only once the
// trainer stopped to wait for it.
//
// Next and Close are for one goroutine; Fill is for any.
type Stream struct {
	mu     sync.Mutex // held while a batch is filled; guards all below
	b      *Batcher
	scale  Scale
	epochs int // epochs of batches to fill in all
	epoch  int // the epoch being filled, from 0
	bufs   [streamDepth]streamBuf
	ready  []int // filled buffers, oldest first; the backing array is never outgrown
	free   []int // buffers to fill
	held   int   // the buffer the consumer holds, or -1
	part   int   // the buffer being filled, or -1; its n counts the images filled so far
	size   int   // the images of the batch being filled
	closed bool
}

type streamBuf struct {
	x []float32 // (batch, 1, Rows, Cols)
	y []uint8   // (batch)
	n int       // images filled
}

// streamDepth is the number of buffers: one the caller trains on, and two
// filled ahead.
const streamDepth = 3

// streamPiece is the most images Fill fills a call: some tens of
// microseconds of work, without distortions.
const streamPiece = 8

// NewStream takes over b, scaling pixels through sc: for each of epochs
// epochs it calls b.Reset, skips the first skip batches of the first one,
// then yields every batch of the epoch. b must not be used by anyone else
// until Close has returned.
func NewStream(b *Batcher, sc *Scale, epochs, skip int) *Stream {
	st := &Stream{b: b, scale: *sc, epochs: epochs, held: -1, part: -1,
		ready: make([]int, 0, streamDepth), free: make([]int, 0, streamDepth)}
	size := b.set.Rows * b.set.Cols
	for i := range st.bufs {
		st.bufs[i] = streamBuf{x: make([]float32, b.batch*size), y: make([]uint8, b.batch)}
		st.free = append(st.free, i)
	}
	if epochs > 0 {
		b.Reset()
		b.Skip(skip)
	}
	return st
}

// Fill fills the next streamPiece images of the next batch into a free
// buffer, unless none is free, the batches are all filled, the Stream is
// closed or another goroutine is filling; it reports whether it filled
// any. It never waits.
func (st *Stream) Fill() bool {
	if !st.mu.TryLock() {
		return false
	}
	defer st.mu.Unlock()
	return st.fill()
}

// fill is Fill with st.mu held: it begins a batch in a free buffer if none
// is begun, fills a piece of it, and moves it to ready once it is full.
func (st *Stream) fill() bool {
	if st.closed {
		return false
	}
	if st.part < 0 && !st.begin() {
		return false
	}
	buf := &st.bufs[st.part]
	k1 := min(buf.n+streamPiece, st.size)
	st.b.fillPart(buf.x, buf.y, &st.scale, buf.n, k1)
	buf.n = k1
	if buf.n == st.size {
		st.b.pass(st.size)
		st.ready = append(st.ready, st.part)
		st.part = -1
	}
	return true
}

// begin readies the next batch in a free buffer, starting the next epoch
// when one ends, and reports whether there was a buffer and a batch.
func (st *Stream) begin() bool {
	if len(st.free) == 0 || st.epoch >= st.epochs {
		return false
	}
	for {
		if st.size = st.b.start(); st.size > 0 {
			break
		}
		if st.epoch++; st.epoch >= st.epochs {
			return false
		}
		st.b.Reset()
	}
	st.part = st.free[len(st.free)-1]
	st.free = st.free[:len(st.free)-1]
	st.bufs[st.part].n = 0
	return true
}

// Next gives back the batch it returned last and returns the next one: x,
// (n, 1, Rows, Cols), and y, (n), valid until the next call of Next or
// Close. It fills the batch itself if no other goroutine has, and waits
// for one that is filling. It returns n = 0 once every batch of the epochs
// asked for has been returned, or after Close.
func (st *Stream) Next() (x []float32, y []uint8, n int) {
	for !st.mu.TryLock() { // another goroutine is filling, most likely the batch wanted
		runtime.Gosched()
	}
	defer st.mu.Unlock()
	if st.held >= 0 {
		st.free = append(st.free, st.held)
		st.held = -1
	}
	for len(st.ready) == 0 {
		if !st.fill() {
			return nil, nil, 0
		}
	}
	if st.closed {
		return nil, nil, 0
	}
	i := st.ready[0]
	st.ready = append(st.ready[:0], st.ready[1:]...)
	st.held = i
	b := &st.bufs[i]
	return b.x, b.y, b.n
}

// Close ends the Stream: Next then returns n = 0 and Fill does nothing. It
// may be called more than once.
func (st *Stream) Close() {
	st.mu.Lock()
	st.closed = true
	st.mu.Unlock()
}
