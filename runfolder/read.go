package runfolder

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/internal/infile"
)

// Run is a run folder read back. A long history is read thinned (see
// Read): its lists are then an evenly spread selection, which always holds
// the first record and the last.
type Run struct {
	Dir      string
	Settings []Setting // settings.yaml's keys and values, in its order
	Start    Start
	// Points is every batch, in order; or, for a run of more than
	// 16,384 batches, means of PointBatches consecutive batches (see
	// Point).
	Points       []Point
	PointBatches int // how many batches a Point stands for: 1, or 2, 4, … in a long run
	Evals        []Eval
	Epochs       []Epoch
	Switches     []Switch
	Flows        []Flow
	NaN          *NaN // the batch whose loss turned NaN in a run that went on; nil if none
	End          *End // nil when the run was killed before it could end
}

// Setting is one key of settings.yaml with its value as written (a list in
// YAML's flow style: [{…}, {…}]).
type Setting struct{ Key, Value string }

// Point is one training batch; or, in a long run read thinned, the mean
// of Run.PointBatches consecutive batches (the last Point of fewer), at
// the last of them: the geometric mean of their losses and the arithmetic
// mean of their accuracies, or the first loss that is not finite and
// positive among them (where the run went NaN).
type Point struct {
	Step      int
	Epoch     float64 // epochs trained after it: step / batches per epoch
	Loss, Acc float64
}

// Value is the setting with key, and whether the run has it.
func (r *Run) Value(key string) (string, bool) {
	for _, s := range r.Settings {
		if s.Key == key {
			return s.Value, true
		}
	}
	return "", false
}

// CutError is a history whose last line is cut off: the run was killed
// while writing it. Read returns it with the run as far as the whole lines
// go.
type CutError struct {
	Path  string
	Line  int // the cut line, 1-based
	Bytes int // what there is of it
}

func (e *CutError) Error() string {
	return fmt.Sprintf("%s: line %d is cut off after %d bytes (the run was killed while writing it); the %d lines before it are whole: delete the last line to use them",
		e.Path, e.Line, e.Bytes, e.Line-1)
}

// Limits on what Read accepts, so that a stray large file is refused
// rather than read into memory: each above what lenet-tui writes.
// settings.yaml is a config file of at most 256 layers (about 150 KB); a
// "batches" record holds at most an epoch's batches (about 40 bytes each);
// a "flow" record one line per block (256 at most, about 250 bytes each);
// every other record is under 1 KB; history.jsonl is read in one pass and
// thinned (see thin.go), so only its reading time bounds its length.
const (
	maxSettings = 1 << 20
	maxLine     = 16 << 20 // a "batches" record
	maxFlowLine = 256 << 10
	maxRecord   = 16 << 10 // any other record
	maxHistory  = 1 << 30
)

// Read reads the run folder dir. A folder that is missing or is not a run
// folder, and a line that is not a record, are errors naming the file (and
// line); a cut-off last line is a *CutError returned with the run read so
// far. Its files are opened only if they are regular files (a named pipe
// would wait for a writer). Read holds a bounded part of any history: it
// keeps every record of a run of up to 16,384 batches, and of a longer one
// an evenly spread selection (the batches as means, see Point), so that a
// history of a million batches costs a few MB.
func Read(dir string) (*Run, error) {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s: no such run folder", dir)
	case err != nil:
		return nil, err
	case !st.IsDir():
		return nil, fmt.Errorf("%s: not a run folder but a file (a run folder holds %s and %s)", dir, SettingsFile, HistoryFile)
	}
	r := &Run{Dir: dir}
	for _, name := range []string{SettingsFile, HistoryFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: not a run folder: no %s in it (lenet-tui train and the terminal UI write run folders under runs/)", dir, name)
		}
	}
	if r.Settings, err = readSettings(filepath.Join(dir, SettingsFile)); err != nil {
		return nil, err
	}
	f, _, err := infile.Open(filepath.Join(dir, HistoryFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return r, r.readHistory(f, filepath.Join(dir, HistoryFile))
}

// readSettings reads the top-level keys of a settings.yaml.
func readSettings(path string) ([]Setting, error) {
	b, err := readAtMost(path, maxSettings)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: want the run's settings as key: value lines", path)
	}
	top := doc.Content[0]
	var out []Setting
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		val := v.Value
		if v.Kind != yaml.ScalarNode {
			flowStyle(v)
			v.HeadComment, v.LineComment, v.FootComment = "", "", ""
			fb, err := yaml.Marshal(v)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", path, v.Line, err)
			}
			val = strings.TrimSpace(string(fb))
		}
		out = append(out, Setting{Key: k.Value, Value: val})
	}
	return out, nil
}

func flowStyle(n *yaml.Node) {
	n.Style = yaml.FlowStyle
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	for _, c := range n.Content {
		flowStyle(c)
	}
}

// readAtMost reads the regular file at path, refusing one over limit
// bytes.
func readAtMost(path string, limit int64) ([]byte, error) {
	f, size, err := infile.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if size > limit {
		return nil, fmt.Errorf("%s: over %d bytes: not a run's file", path, limit)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: over %d bytes: not a run's file", path, limit)
	}
	return b, nil
}

// readHistory reads history.jsonl's records into r, thinned.
func (r *Run) readHistory(f io.Reader, path string) error {
	h := history{r: r, points: newPoints(maxPoints), evals: newThin[Eval](maxEvals), epochs: newThin[Epoch](maxEpochs),
		switches: newThin[Switch](maxSwitches), flows: newThin[Flow](maxFlows)}
	ls := lines{limit: maxLine, empty: "empty: the run ended before it started", long: "not a record lenet-tui writes"}
	err := readLines(f, path, ls, func(line []byte, n int) error { return h.add(line, path, n) })
	r.Points, r.PointBatches = h.points.list(), h.points.stride
	r.Evals, r.Epochs, r.Switches, r.Flows = h.evals.list(), h.epochs.list(), h.switches.list(), h.flows.list()
	return err
}

// history is a Run being read: its lists are kept thinned until the end.
type history struct {
	r        *Run
	points   points
	evals    thin[Eval]
	epochs   thin[Epoch]
	switches thin[Switch]
	flows    thin[Flow]
}

// lines says what readLines reads: at most limit bytes a line, and what to
// say of an empty file and of a longer line.
type lines struct {
	limit       int
	empty, long string
}

// readLines passes each line of the JSON-lines file f (at path) to add,
// with its 1-based number, up to the first error. A line over the limit
// is an error, as is an empty file; a last line cut off mid-write is a
// *CutError; a line whole but for its newline is accepted.
func readLines(f io.Reader, path string, ls lines, add func(line []byte, n int) error) error {
	limit := ls.limit
	br := bufio.NewReader(io.LimitReader(f, maxHistory+1))
	read := 0
	for n := 1; ; n++ {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// a line longer than the buffer: copy what was read before
			// the next ReadSlice overwrites it
			line = slices.Clone(line)
		}
		for errors.Is(err, bufio.ErrBufferFull) && len(line) <= limit {
			var more []byte
			more, err = br.ReadSlice('\n')
			line = append(line, more...)
		}
		read += len(line)
		switch {
		case read > maxHistory:
			return fmt.Errorf("%s: over %s bytes: not a file lenet-tui writes", path, engine.Thousands(maxHistory))
		case len(line) > limit:
			return fmt.Errorf("%s:%d: over %s bytes: %s", path, n, engine.Thousands(limit), ls.long)
		case err == io.EOF && len(line) == 0:
			if n == 1 {
				return fmt.Errorf("%s: %s", path, ls.empty)
			}
			return nil
		case err == io.EOF:
			if json.Valid(line) { // whole but for its newline: accept it
				return add(line, n)
			}
			return &CutError{Path: path, Line: n, Bytes: len(line)}
		case err != nil:
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := add(line, n); err != nil {
			return err
		}
	}
}

// strictDecode decodes the record line into v, refusing fields v lacks.
func strictDecode(line []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(line))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

// add decodes line n, one record, into the run.
func (h *history) add(line []byte, path string, n int) error {
	typ, err := recordType(line)
	switch {
	case err != nil:
		err = fmt.Errorf("not a JSON record: %w", err)
	case (n == 1) != (typ == "start"):
		err = fmt.Errorf("a %q record: want the run's start first, once", typ)
	case h.r.End != nil:
		err = fmt.Errorf("a %q record after the run's end", typ)
	case len(line) > recordLimit(typ):
		err = fmt.Errorf("a %q record of %s bytes: lenet-tui writes them under %s", typ, engine.Thousands(len(line)), engine.Thousands(recordLimit(typ)))
	default:
		err = h.addRecord(typ, line)
	}
	if err != nil {
		return fmt.Errorf("%s:%d: %w", path, n, err)
	}
	return nil
}

// recordType is the "type" of the record line: read from its start when
// it begins {"type":"…", as lenet-tui writes every record, and otherwise
// by decoding the line. (Decoding a line twice, for its type and then as
// its record, took a third of the time of reading a long history.)
func recordType(line []byte) (string, error) {
	if rest, ok := bytes.CutPrefix(line, []byte(`{"type":"`)); ok {
		if i := bytes.IndexByte(rest, '"'); i >= 0 && bytes.IndexByte(rest[:i], '\\') < 0 {
			return string(rest[:i]), nil
		}
	}
	var head struct{ Type string }
	err := json.Unmarshal(line, &head)
	return head.Type, err
}

// recordLimit is the most bytes a line of a record of type typ may have.
func recordLimit(typ string) int {
	switch typ {
	case "batches":
		return maxLine
	case "flow":
		return maxFlowLine
	}
	return maxRecord
}

// addRecord decodes line, a record of type typ, into the run.
func (h *history) addRecord(typ string, line []byte) error {
	r := h.r
	switch typ {
	case "start":
		return decodeRecord(line, typ, &r.Start)
	case "batches":
		return h.addBatches(line)
	case "eval":
		return keepRecord(line, typ, &h.evals)
	case "epoch":
		return keepRecord(line, typ, &h.epochs)
	case "activation", "lr":
		return keepRecord(line, typ, &h.switches)
	case "flow":
		return keepRecord(line, typ, &h.flows)
	case "nan":
		return setRecord(line, typ, &r.NaN)
	case "done", "stopped", "failed":
		return setRecord(line, typ, &r.End)
	}
	return fmt.Errorf("unknown record type %q", typ)
}

// addBatches decodes a "batches" record and adds a Point per batch.
func (h *history) addBatches(line []byte) error {
	var b Batches
	if err := decodeRecord(line, "batches", &b); err != nil {
		return err
	}
	if b.BatchesPerEpoch < 1 || b.First < 1 || len(b.Accs) != len(b.Losses) {
		return errors.New(`a "batches" record: want first_step and batches_per_epoch ≥ 1 and as many accs as losses`)
	}
	for i, l := range b.Losses {
		s := b.First + i
		h.points.add(Point{Step: s, Epoch: float64(s) / float64(b.BatchesPerEpoch), Loss: float64(l), Acc: float64(b.Accs[i])})
	}
	return nil
}

// decodeRecord decodes line, a record of type typ, strictly into v.
func decodeRecord(line []byte, typ string, v any) error {
	if err := strictDecode(line, v); err != nil {
		return fmt.Errorf("a %q record: %w", typ, err)
	}
	return nil
}

// keepRecord decodes line, a record of type typ, and adds it to list.
func keepRecord[T any](line []byte, typ string, list *thin[T]) error {
	var v T
	if err := decodeRecord(line, typ, &v); err != nil {
		return err
	}
	list.add(v)
	return nil
}

// setRecord decodes line, a record of type typ, and points p at it.
func setRecord[T any](line []byte, typ string, p **T) error {
	var v T
	if err := decodeRecord(line, typ, &v); err != nil {
		return err
	}
	*p = &v
	return nil
}
