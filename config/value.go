package config

import (
	"encoding"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lenet-tui/lenet-tui/engine"
)

// entry is one setting as given: its key, its value (text, and the YAML node
// when it came from a file) and where.
type entry struct {
	key  string
	text string
	node *yaml.Node // nil for a flag
	src  source
}

// apply parses e's value into its setting in c. It is the one parser of
// values: a flag and a config.yaml key accept the same text.
func (e entry) apply(c *Config) error {
	s, _ := lookup(e.key)
	switch p := s.field(c).(type) {
	case *[]engine.LayerSpec:
		layers, err := parseLayers(e)
		if err != nil {
			return err
		}
		*p = layers
		return nil
	default:
		if e.node != nil && e.node.Kind != yaml.ScalarNode {
			err := e.src.errorAt(e.key)
			err.Line, err.Value, err.Want = e.node.Line, "(a "+kindName(e.node.Kind)+")", "a single value"
			return err
		}
		want, ok := parseText(p, e.text)
		if !ok {
			err := e.src.errorAt(e.key)
			err.Value, err.Want = quote(e.text, p), want
			return err
		}
		return nil
	}
}

// parseText sets *p from text. When text is not a value of p's type it
// reports false and what p accepts.
func parseText(p any, text string) (want string, ok bool) {
	var err error
	switch p := p.(type) {
	case encoding.TextUnmarshaler:
		err = p.UnmarshalText([]byte(text))
		var enum *engine.EnumError
		if errors.As(err, &enum) {
			return engine.WantOneOf(enum.Want), false
		}
		want = "a valid value"
	case *string:
		*p = text
	case *bool:
		*p, err = strconv.ParseBool(text)
		want = "true or false"
	case *int:
		*p, err = strconv.Atoi(text)
		want = "a whole number"
	case *uint64:
		*p, err = strconv.ParseUint(text, 10, 64)
		want = "a whole number from 0 to 18446744073709551615"
	case *float64:
		*p, err = strconv.ParseFloat(text, 64)
		// The engine computes in float32: a number beyond its range would
		// overflow there and be blamed on the layer where it first shows.
		if err == nil && !(math.Abs(*p) <= math.MaxFloat32) {
			err = errors.New("not finite")
		}
		if err == nil && *p != 0 && math.Abs(*p) < math.SmallestNonzeroFloat32 {
			err = errors.New("vanishes in float32")
		}
		want = "a finite number (float32: 1.4e-45 to 3.4e+38 in size, or 0)"
	default:
		panic(fmt.Sprintf("config: no parser for %T", p))
	}
	return want, err == nil
}

// quote shows a value as given: numbers bare, text quoted.
func quote(text string, p any) string {
	switch p.(type) {
	case *int, *uint64, *float64:
		if _, err := strconv.ParseFloat(text, 64); err == nil {
			return text
		}
	case *bool:
		if _, err := strconv.ParseBool(text); err == nil {
			return text
		}
	}
	return strconv.Quote(text)
}

// parseLayers decodes a layers list: a YAML sequence of mappings whose keys
// are LayerSpec's.
func parseLayers(e entry) ([]engine.LayerSpec, error) {
	node := e.node
	bad := func(line int, format string, args ...any) error {
		err := e.src.errorAt(e.key)
		err.Line, err.Err = line, fmt.Errorf(format, args...)
		if e.src.file == "" {
			err.Line = 0 // a line of the flag's own text means nothing to the reader
		}
		return err
	}
	if node == nil {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(e.text), &doc); err != nil {
			return nil, bad(0, "not a YAML list: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		}
		if a := findAlias(&doc); a != nil {
			return nil, bad(0, "alias *%s: write the value out", printable(a.Value))
		}
		if len(doc.Content) == 0 {
			return nil, nil
		}
		node = doc.Content[0]
	}
	if node.Kind == yaml.ScalarNode && node.Tag == "!!null" {
		return nil, nil
	}
	if node.Kind != yaml.SequenceNode {
		return nil, bad(node.Line, "want a list of layers, each {name, kind, …}")
	}
	if len(node.Content) == 0 {
		return nil, nil // no layers: the built-in architecture, as when the key is absent
	}
	known := layerKeys()
	layers := make([]engine.LayerSpec, 0, len(node.Content))
	for i, item := range node.Content {
		if item.Kind != yaml.MappingNode {
			return nil, bad(item.Line, "layer %d: want a mapping such as {name: C1, kind: conv, maps: 6, kernel: 5}", i+1)
		}
		for j := 0; j+1 < len(item.Content); j += 2 {
			k := item.Content[j]
			if !slices.Contains(known, k.Value) {
				hint := ""
				if n := Nearest(k.Value, known); n != "" {
					hint = fmt.Sprintf(" (did you mean %s?)", n)
				}
				return nil, bad(k.Line, "layer %d: unknown key %s%s; want %s", i+1, printable(k.Value), hint, strings.Join(known, ", "))
			}
		}
		var ls engine.LayerSpec
		if err := item.Decode(&ls); err != nil {
			msg := strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n  ")
			msg = strings.ReplaceAll(msg, " in type engine.LayerSpec", "")
			return nil, bad(item.Line, "layer %d: %s", i+1, msg)
		}
		layers = append(layers, ls)
	}
	return layers, nil
}

// layerKeys are the keys of a layer in a layers list.
func layerKeys() []string {
	t := reflect.TypeFor[engine.LayerSpec]()
	keys := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	}
	return "value"
}
