package runfolder

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/lenet-tui/lenet-tui/analysis"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/internal/infile"
)

// EmbeddingFile is the run folder's file of F6 embeddings: what the layer
// before the classifier makes of the first test digits, projected to 2-D
// at each epoch's end (see the package doc for why it is a file of its
// own).
const EmbeddingFile = "embedding.jsonl"

// The records of embedding.jsonl: a Points record first, once, then a
// Projection at each evaluation of the whole test set.

// Points says which digits the projections place: the layer, its width, and
// the true class of each digit (the first test digits, the same at every
// evaluation).
type Points struct {
	Type   string `json:"type"` // "points"
	Layer  string `json:"layer"`
	Dim    int    `json:"dim"`
	Labels []int  `json:"labels"`
}

// Projection is the layer's outputs for those digits after epoch Epoch
// (step Step), projected onto their first two principal components; X and
// Y are each digit's scores, in Points' order, rounded to 4 significant
// digits of the largest score (see coords). A layer whose outputs could not
// be projected (they were NaN) has Error instead of points.
type Projection struct {
	Type      string   `json:"type"` // "projection"
	Epoch     int      `json:"epoch"`
	Step      int      `json:"step"`
	Explained [2]Float `json:"explained"` // the share of the variance along each axis
	X         coords   `json:"x,omitempty"`
	Y         coords   `json:"y,omitempty"`
	Error     string   `json:"error,omitempty"`
}

// Embedding is a run folder's embedding.jsonl read back.
type Embedding struct {
	Points
	Projections []Projection // in the order of the epochs
}

// Last is the last projection that has points, and whether the run's last
// full evaluation is that one (false: its outputs could not be projected,
// and Last is an earlier epoch's). ok is false when there is none at all.
func (e *Embedding) Last() (p Projection, latest, ok bool) {
	for i := len(e.Projections) - 1; i >= 0; i-- {
		if p := e.Projections[i]; p.Error == "" {
			return p, i == len(e.Projections)-1, true
		}
	}
	return Projection{}, false, false
}

// Analysis is p as the figure package draws it (no axes: they are not
// kept).
func (p Projection) Analysis() analysis.Projection {
	return analysis.Projection{X: p.X, Y: p.Y, Explained: [2]float64{float64(p.Explained[0]), float64(p.Explained[1])}}
}

// coords are scores written to a common absolute precision: 4 significant
// digits of the largest magnitude among them. A scatter cannot show finer
// differences than a ten-thousandth of its extent, and values near 0 then
// cost a few characters instead of a full mantissa: about 6 bytes a
// number.
type coords []float64

// coordDecimals is the number of decimals that keeps 4 significant digits
// of the largest magnitude in c (0 for magnitudes of 1,000 and more).
func coordDecimals(c []float64) int {
	var big float64
	for _, v := range c {
		big = max(big, math.Abs(v))
	}
	if big == 0 {
		return 0
	}
	return max(0, 3-int(math.Floor(math.Log10(big))))
}

// MarshalJSON writes c rounded to coordDecimals, without trailing zeros.
func (c coords) MarshalJSON() ([]byte, error) {
	d := coordDecimals(c)
	b := make([]byte, 0, 2+7*len(c))
	b = append(b, '[')
	for i, v := range c {
		if i > 0 {
			b = append(b, ',')
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("runfolder: a projected score is %v", v)
		}
		b = appendTrimmed(b, v, d)
	}
	return append(b, ']'), nil
}

// appendTrimmed appends v with d decimals, less trailing zeros (and -0 as
// 0).
func appendTrimmed(b []byte, v float64, d int) []byte {
	s := strconv.AppendFloat(nil, v, 'f', d, 64)
	if d > 0 {
		for s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		if s[len(s)-1] == '.' {
			s = s[:len(s)-1]
		}
	}
	if string(s) == "-0" {
		s = s[1:]
	}
	return append(b, s...)
}

// UnmarshalJSON reads a list of numbers.
func (c *coords) UnmarshalJSON(b []byte) error {
	var v []float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*c = v
	return nil
}

// embedder writes a run's embedding.jsonl: it projects the embedding of
// each full evaluation's Breakdown by PCA, each axis kept in the direction
// of the previous epoch's, so successive figures do not flip.
type embedder struct {
	path string
	f    *os.File
	prev *analysis.Projection
}

// write appends the projection of b's embedding, creating the file with
// its Points record at the first. b must be a full evaluation with an
// embedding of at least 2 digits. The PCA runs here, on the recorder's
// writing goroutine, never between the trainer and the view.
func (e *embedder) write(b engine.Breakdown) error {
	var out []byte
	if e.f == nil {
		f, err := os.OpenFile(e.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		e.f = f
		labels := make([]int, len(b.Embedding.Labels))
		for i, l := range b.Embedding.Labels {
			labels[i] = int(l)
		}
		out = appendLine(out, Points{Type: "points", Layer: b.Embedding.Layer, Dim: b.Embedding.Dim, Labels: labels})
	}
	em := b.Embedding
	rec := Projection{Type: "projection", Epoch: int(math.Round(b.Epoch)), Step: b.Step}
	p, err := analysis.PCA2(em.Values, len(em.Labels), em.Dim, e.prev)
	if err != nil {
		rec.Error = err.Error()
		rec.Explained = [2]Float{Float(math.NaN()), Float(math.NaN())}
	} else {
		e.prev = &p
		rec.X, rec.Y = p.X, p.Y
		rec.Explained = [2]Float{Float(p.Explained[0]), Float(p.Explained[1])}
	}
	out = appendLine(out, rec)
	_, err = e.f.Write(out) // whole records in one write: a kill leaves them whole or cut
	return err
}

func appendLine(b []byte, r any) []byte {
	j, err := json.Marshal(r)
	if err != nil {
		panic("runfolder: " + err.Error()) // every record marshals: scores are finite
	}
	return append(append(b, j...), '\n')
}

// close closes the file, if it was made.
func (e *embedder) close() error {
	if e.f == nil {
		return nil
	}
	return e.f.Close()
}

// wantsEmbedding says whether ev is a Breakdown whose embedding the run folder
// keeps: one of the whole test set, with at least 2 digits.
func wantsEmbedding(ev engine.Event) (engine.Breakdown, bool) {
	b, ok := ev.(engine.Breakdown)
	return b, ok && b.Full && len(b.Embedding.Labels) >= 2
}

// maxEmbeddingLine bounds a line of embedding.jsonl: lenet-tui writes the
// classes of at most engine.EmbedImages digits (4 KB), and projections of
// two scores for each, about 11 KB (up to 90 KB if every score were a
// 40-digit number).
const maxEmbeddingLine = 256 << 10

// ReadEmbedding reads the embedding.jsonl of run folder dir. A folder
// without one (kept before there was one, or by a net of one block) gives
// an error for which errors.Is(err, fs.ErrNotExist) holds; a line that is
// not a record is an error naming it, a cut-off last line a *CutError
// returned with the projections before it. A file that is not a regular
// file is refused, as is one with more digits than lenet-tui keeps
// (engine.EmbedImages). Of a run of many epochs it keeps the first
// projection, the last, the last that has points, and an evenly spread
// selection of the others: at most 65.
func ReadEmbedding(dir string) (*Embedding, error) {
	path := filepath.Join(dir, EmbeddingFile)
	f, _, err := infile.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := embeddingReader{projections: newThin[Projection](maxProjections)}
	ls := lines{limit: maxEmbeddingLine, empty: "empty: no embedding was written",
		long: fmt.Sprintf("not a record lenet-tui writes (it keeps the points of at most %s digits, in lines under 100 KB)", engine.Thousands(engine.EmbedImages))}
	err = readLines(f, path, ls, func(line []byte, n int) error { return r.add(line, path, n) })
	r.e.Projections = r.list()
	return &r.e, err
}

// embeddingReader is an Embedding being read, its projections thinned
// until the end.
type embeddingReader struct {
	e           Embedding
	projections thin[Projection]
	good        *Projection // the last projection with points, if it is not the last seen
	goodAt      int         // its place among those seen
}

// add decodes line n, one record, into the embedding.
func (r *embeddingReader) add(line []byte, path string, n int) error {
	fail := func(err error) error { return fmt.Errorf("%s:%d: %w", path, n, err) }
	typ, err := recordType(line)
	if err != nil {
		return fail(fmt.Errorf("not a JSON record: %w", err))
	}
	if (n == 1) != (typ == "points") {
		return fail(fmt.Errorf("a %q record: want the digits' points first, once", typ))
	}
	switch typ {
	case "points":
		if err := r.e.Points.read(line); err != nil {
			return fail(err)
		}
		return nil
	case "projection":
		var p Projection
		if err := strictDecode(line, &p); err != nil {
			return fail(fmt.Errorf("a %q record: %w", typ, err))
		}
		if p.Error == "" && (len(p.X) != len(r.e.Labels) || len(p.Y) != len(r.e.Labels)) {
			return fail(fmt.Errorf("a projection of %d and %d scores: want one x and y for each of the %d digits", len(p.X), len(p.Y), len(r.e.Labels)))
		}
		r.keep(p)
		return nil
	}
	return fail(fmt.Errorf("unknown record type %q", typ))
}

// read decodes line, the points record, into p.
func (p *Points) read(line []byte) error {
	if err := strictDecode(line, p); err != nil {
		return fmt.Errorf("a \"points\" record: %w", err)
	}
	if len(p.Labels) > engine.EmbedImages {
		return fmt.Errorf("the points of %s digits: lenet-tui keeps at most %s", engine.Thousands(len(p.Labels)), engine.Thousands(engine.EmbedImages))
	}
	for _, l := range p.Labels {
		if l < 0 || l > 255 {
			return fmt.Errorf("a class %d: want 0 to 255", l)
		}
	}
	return nil
}

// keep adds p to the projections kept, remembering the last with points
// in case thinning drops it.
func (r *embeddingReader) keep(p Projection) {
	if p.Error == "" {
		r.good, r.goodAt = &p, r.projections.seen
	}
	r.projections.add(p)
}

// list is the projections kept, with the last that has points in its place
// if thinning dropped it.
func (r *embeddingReader) list() []Projection {
	list := r.projections.list()
	if r.good == nil || r.goodAt == r.projections.seen-1 {
		return list // none, or the last seen: in the list
	}
	at := r.goodAt / r.projections.stride // the items kept before it
	if r.goodAt%r.projections.stride == 0 {
		return list // kept
	}
	return slices.Insert(list[:len(list):len(list)], at+1, *r.good)
}

// LabelBytes is the digits' classes as the figure package takes them.
func (p Points) LabelBytes() []uint8 {
	out := make([]uint8, len(p.Labels))
	for i, l := range p.Labels {
		out[i] = uint8(l)
	}
	return out
}
