package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lenet-tui/lenet-tui/internal/infile"
)

// maxFileSize bounds what is read of a config file: a run's settings fit in
// a few hundred bytes (a list of 256 layers in about 150 KB).
const maxFileSize = 1 << 20

// readFile returns the settings a config file gives, in file order. A
// missing file is no error unless it was asked for by name (required).
// Whether found by default or named, it must be a regular file: a named
// pipe would wait for a writer, a device might never end.
func readFile(path string, required bool) ([]entry, error) {
	f, size, err := infile.Open(path)
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist) && !required:
		return nil, nil
	case errors.As(err, &pe):
		return nil, &Error{File: path, Err: pe.Err} // "PATH: permission denied"
	case err != nil:
		return nil, &Error{File: path, Err: errors.New(strings.TrimPrefix(err.Error(), path+": "))} // "PATH: a named pipe, not a regular file"
	}
	defer f.Close()
	if size > maxFileSize {
		return nil, tooLarge(path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, &Error{File: path, Err: err}
	}
	if len(data) > maxFileSize {
		return nil, tooLarge(path)
	}
	return parseFile(path, data)
}

func tooLarge(path string) error {
	return &Error{File: path, Err: fmt.Errorf("larger than %d KiB; a config file holds a few settings", maxFileSize>>10)}
}

// parseFile returns the settings in data, the text of the config file at
// path.
func parseFile(path string, data []byte) ([]entry, error) {
	doc, err := parseYAML(path, data)
	if err != nil || doc == nil {
		return nil, err // nil, nil: empty, or only comments
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, &Error{File: path, Line: top.Line, Err: errors.New("want settings as key: value lines")}
	}
	var entries []entry
	seen := map[string]int{}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		src := source{file: path, line: k.Line}
		if _, ok := lookup(k.Value); !ok {
			err := src.errorAt(k.Value)
			err.Unknown, err.Want = true, Nearest(k.Value, Keys())
			return nil, err
		}
		if line, dup := seen[k.Value]; dup {
			err := src.errorAt(k.Value)
			err.Err = fmt.Errorf("set twice (first on line %d)", line)
			return nil, err
		}
		seen[k.Value] = k.Line
		text := v.Value
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			text = ""
		}
		entries = append(entries, entry{key: k.Value, text: text, node: v, src: src})
	}
	return entries, nil
}

// parseYAML parses a config file's one YAML document; nil if it has none.
// A second document is an error, as is an alias (*name): aliases let a small
// file stand for text without limit.
func parseYAML(path string, data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc, next yaml.Node
	if err := dec.Decode(&doc); err == io.EOF {
		return nil, nil
	} else if err != nil {
		return nil, yamlError(path, err)
	}
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, &Error{File: path, Line: next.Line, Err: errors.New("a second YAML document (after ---): a config file holds one")}
	case err != io.EOF:
		return nil, yamlError(path, err)
	}
	if a := findAlias(&doc); a != nil {
		return nil, &Error{File: path, Line: a.Line, Err: fmt.Errorf("alias *%s: a config file may not use aliases; write the value out", printable(a.Value))}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return &doc, nil
}

// findAlias returns the first alias node under n, or nil.
func findAlias(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		return n
	}
	for _, c := range n.Content {
		if a := findAlias(c); a != nil {
			return a
		}
	}
	return nil
}

// yamlError turns a YAML syntax error into an *Error at its line.
func yamlError(path string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
		_, msg, _ = strings.Cut(msg, ": ")
	}
	return &Error{File: path, Line: line, Err: errors.New(msg)}
}
