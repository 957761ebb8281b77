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
)

// Run is a run folder read back.
type Run struct {
	Dir      string
	Settings []Setting // settings.yaml's keys and values, in its order
	Start    Start
	Points   []Point // every batch, in order
	Evals    []Eval
	Epochs   []Epoch
	Switches []Switch
	Flows    []Flow
	NaN      *NaN // the batch whose loss turned NaN in a run that went on; nil if none
	End      *End // nil when the run was killed before it could end
}

// Setting is one key of settings.yaml with its value as written (a list in
// YAML's flow style: [{…}, {…}]).
type Setting struct{ Key, Value string }

// Point is one training batch.
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
// rather than read into memory.
const (
	maxSettings = 1 << 20
	maxLine     = 16 << 20
	maxHistory  = 1 << 30
)

// Read reads the run folder dir. A folder that is missing or is not a run
// folder, and a line that is not a record, are errors naming the file (and
// line); a cut-off last line is a *CutError returned with the run read so
// far.
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
	f, err := os.Open(filepath.Join(dir, HistoryFile))
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

// readAtMost reads the file at path, refusing one over limit bytes.
func readAtMost(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: over %d bytes: not a run's file", path, limit)
	}
	return b, nil
}

// readHistory reads history.jsonl's records into r.
func (r *Run) readHistory(f io.Reader, path string) error {
	return readLines(f, path, "empty: the run ended before it started", func(line []byte, n int) error { return r.add(line, path, n) })
}

// readLines passes each line of the JSON-lines file f (at path) to add,
// with its 1-based number, up to the first error. An empty file is an
// error saying empty; a last line cut off mid-write is a *CutError; a line
// whole but for its newline is accepted.
func readLines(f io.Reader, path, empty string, add func(line []byte, n int) error) error {
	br := bufio.NewReader(io.LimitReader(f, maxHistory+1))
	read := 0
	for n := 1; ; n++ {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// a line longer than the buffer: copy what was read before
			// the next ReadSlice overwrites it
			line = slices.Clone(line)
		}
		for errors.Is(err, bufio.ErrBufferFull) && len(line) <= maxLine {
			var more []byte
			more, err = br.ReadSlice('\n')
			line = append(line, more...)
		}
		read += len(line)
		switch {
		case read > maxHistory:
			return fmt.Errorf("%s: over %d bytes: not a run's history", path, maxHistory)
		case len(line) > maxLine:
			return fmt.Errorf("%s:%d: over %d bytes: not a record", path, n, maxLine)
		case err == io.EOF && len(line) == 0:
			if n == 1 {
				return fmt.Errorf("%s: %s", path, empty)
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

// add decodes line n, one record, into r.
func (r *Run) add(line []byte, path string, n int) error {
	var head struct{ Type string }
	err := json.Unmarshal(line, &head)
	switch {
	case err != nil:
		err = fmt.Errorf("not a JSON record: %w", err)
	case (n == 1) != (head.Type == "start"):
		err = fmt.Errorf("a %q record: want the run's start first, once", head.Type)
	case r.End != nil:
		err = fmt.Errorf("a %q record after the run's end", head.Type)
	default:
		err = r.addRecord(head.Type, line)
	}
	if err != nil {
		return fmt.Errorf("%s:%d: %w", path, n, err)
	}
	return nil
}

// addRecord decodes line, a record of type typ, into r.
func (r *Run) addRecord(typ string, line []byte) error {
	switch typ {
	case "start":
		return decodeRecord(line, typ, &r.Start)
	case "batches":
		return r.addBatches(line)
	case "eval":
		return appendRecord(line, typ, &r.Evals)
	case "epoch":
		return appendRecord(line, typ, &r.Epochs)
	case "activation", "lr":
		return appendRecord(line, typ, &r.Switches)
	case "flow":
		return appendRecord(line, typ, &r.Flows)
	case "nan":
		return setRecord(line, typ, &r.NaN)
	case "done", "stopped", "failed":
		return setRecord(line, typ, &r.End)
	}
	return fmt.Errorf("unknown record type %q", typ)
}

// addBatches decodes a "batches" record and adds a Point per batch.
func (r *Run) addBatches(line []byte) error {
	var b Batches
	if err := decodeRecord(line, "batches", &b); err != nil {
		return err
	}
	if b.BatchesPerEpoch < 1 || b.First < 1 || len(b.Accs) != len(b.Losses) {
		return errors.New(`a "batches" record: want first_step and batches_per_epoch ≥ 1 and as many accs as losses`)
	}
	for i, l := range b.Losses {
		s := b.First + i
		r.Points = append(r.Points, Point{Step: s, Epoch: float64(s) / float64(b.BatchesPerEpoch), Loss: float64(l), Acc: float64(b.Accs[i])})
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

// appendRecord decodes line, a record of type typ, and appends it to list.
func appendRecord[T any](line []byte, typ string, list *[]T) error {
	var v T
	if err := decodeRecord(line, typ, &v); err != nil {
		return err
	}
	*list = append(*list, v)
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
