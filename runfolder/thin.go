package runfolder

import "math"

// How many of each kind of record Read keeps of a long history. A run may
// train for 10,000 epochs of 60,000 batches, and its history may then hold
// hundreds of millions of batches; a chart or a PNG is a few thousand
// pixels wide. Read keeps everything of a history up to these counts and a
// thinned, evenly spread selection beyond them (see points and thin), so
// that what it holds in memory is bounded whatever the file's length.
// Variables rather than constants so that tests can lower them.
var (
	// maxPoints bounds Run.Points: 16,384 batches (about 8 epochs of
	// MNIST at batch 32) are kept one a point; longer runs are kept as
	// means of 2, 4, … consecutive batches, between 8,192 and 16,384 of
	// them.
	maxPoints = 1 << 14
	// maxEvals, maxEpochs, maxSwitches and maxFlows bound Run.Evals,
	// Run.Epochs, Run.Switches and Run.Flows. maxEpochs is above
	// engine.MaxEpochs, so the epoch records of any run lenet-tui trains
	// are all kept.
	maxEvals    = 1 << 13
	maxEpochs   = 1 << 14
	maxSwitches = 1 << 12
	maxFlows    = 1 << 9
	// maxProjections bounds Embedding.Projections (each is two scores for
	// up to 1,000 digits: 16 KB).
	maxProjections = 1 << 6
)

// thin keeps a bounded, evenly spread selection of a list of unknown
// length seen one item at a time: every item while fewer than max have
// been seen, and then every stride-th, the stride doubling (and every other
// item kept so far dropped) each time max are held. The first item and the
// last are always in the list it returns.
type thin[T any] struct {
	max     int // even, at least 2
	stride  int
	seen    int
	items   []T
	tail    T    // the last item seen, when items does not hold it
	hasTail bool // whether tail is that item
}

func newThin[T any](max int) thin[T] {
	return thin[T]{max: max + max%2, stride: 1}
}

// add sees v, the next item of the list.
func (t *thin[T]) add(v T) {
	at := t.seen
	t.seen++
	if at%t.stride != 0 {
		t.tail, t.hasTail = v, true
		return
	}
	t.items, t.hasTail = append(t.items, v), false
	if len(t.items) < t.max {
		return
	}
	// full: keep the items at even places (positions 0, 2·stride, …),
	// and the last as the tail
	t.tail, t.hasTail = t.items[len(t.items)-1], true
	for i := 0; 2*i < len(t.items); i++ {
		t.items[i] = t.items[2*i]
	}
	clear(t.items[len(t.items)/2:]) // let go of what they hold
	t.items = t.items[:len(t.items)/2]
	t.stride *= 2
}

// list is the items kept, the last item seen included, in their order.
func (t *thin[T]) list() []T {
	if !t.hasTail {
		return t.items
	}
	return append(t.items[:len(t.items):len(t.items)], t.tail)
}

// points keeps a run's batches as at most maxPoints Points: each batch
// while there are fewer, and then means of stride consecutive batches, the
// stride doubling (and neighbouring means merged) each time the list is
// full. A mean's loss is the geometric mean of its batches' losses and its
// accuracy their arithmetic mean, so that the trailing geometric mean a
// chart draws over points is the one over the batches they stand for. A
// mean with a loss that is not finite and positive (where a run went NaN)
// has that loss, and ends a chart's line there as the batch would have.
type points struct {
	max    int // even, at least 2
	stride int
	pts    []Point
	cur    bucket // the mean being made of the batches since the last point
}

// bucket adds up the batches of one mean.
type bucket struct {
	n            int
	last         Point   // the latest batch
	logLoss, acc float64 // sums
	bad          bool    // some loss is not finite and positive: badLoss is the first
	badLoss      float64
}

func newPoints(max int) points {
	return points{max: max + max%2, stride: 1}
}

// add sees the next batch p.
func (s *points) add(p Point) {
	b := &s.cur
	b.n++
	b.last = p
	b.acc += p.Acc
	switch {
	case b.bad:
	case p.Loss > 0 && !math.IsInf(p.Loss, 1):
		b.logLoss += math.Log(p.Loss)
	default:
		b.bad, b.badLoss = true, p.Loss
	}
	if b.n < s.stride {
		return
	}
	s.pts = append(s.pts, b.point())
	s.cur = bucket{}
	if len(s.pts) == s.max {
		for i := 0; 2*i < len(s.pts); i++ {
			s.pts[i] = merge(s.pts[2*i], s.pts[2*i+1])
		}
		s.pts = s.pts[:len(s.pts)/2]
		s.stride *= 2
	}
}

// point is the bucket's mean, at its last batch; a bucket of one batch is
// that batch exactly.
func (b *bucket) point() Point {
	p := b.last
	if b.n == 1 {
		return p
	}
	p.Acc = b.acc / float64(b.n)
	p.Loss = math.Exp(b.logLoss / float64(b.n))
	if b.bad {
		p.Loss = b.badLoss
	}
	return p
}

// merge is the mean of the two means a and b of as many batches each, at
// b's place.
func merge(a, b Point) Point {
	m := b
	m.Acc = (a.Acc + b.Acc) / 2
	switch {
	case !(a.Loss > 0) || math.IsInf(a.Loss, 1):
		m.Loss = a.Loss
	case !(b.Loss > 0) || math.IsInf(b.Loss, 1):
		m.Loss = b.Loss
	default:
		m.Loss = math.Sqrt(a.Loss) * math.Sqrt(b.Loss)
	}
	return m
}

// list is the points kept and the mean of the batches after the last of
// them (fewer than stride), which ends at the last batch seen.
func (s *points) list() []Point {
	if s.cur.n == 0 {
		return s.pts
	}
	return append(s.pts[:len(s.pts):len(s.pts)], s.cur.point())
}
