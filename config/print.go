package config

import (
	"encoding"
	"fmt"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/lenet-tui/lenet-tui/engine"
)

// YAML writes c as a config file, every setting with its help as a
// comment; `--config` reads it back to the same Config.
func (c Config) YAML() ([]byte, error) {
	top := &yaml.Node{Kind: yaml.MappingNode}
	for _, s := range table {
		v, err := valueNode(s.field(&c))
		if err != nil {
			return nil, err
		}
		if v == nil {
			continue // no layers: a built-in architecture
		}
		k := &yaml.Node{Kind: yaml.ScalarNode, Value: s.key}
		if v.Kind == yaml.ScalarNode {
			v.LineComment = usage(s)
		} else {
			k.HeadComment = usage(s)
		}
		top.Content = append(top.Content, k, v)
	}
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{top},
		HeadComment: "lenet-tui settings, resolved (lenet-tui config); run them with --config FILE"}
	return yaml.Marshal(doc)
}

// valueNode is a setting's value as YAML; nil for an empty layers list.
func valueNode(p any) (*yaml.Node, error) {
	scalar := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }
	switch p := p.(type) {
	case *[]engine.LayerSpec:
		if len(*p) == 0 {
			return nil, nil
		}
		n := &yaml.Node{}
		if err := n.Encode(*p); err != nil {
			return nil, err
		}
		for _, item := range n.Content {
			item.Style = yaml.FlowStyle
		}
		return n, nil
	case encoding.TextMarshaler:
		b, err := p.MarshalText()
		return scalar(string(b)), err
	case *string:
		n := scalar(*p)
		if *p == "" {
			n.Style = yaml.DoubleQuotedStyle
		}
		return n, nil
	case *bool:
		return scalar(strconv.FormatBool(*p)), nil
	case *int:
		return scalar(strconv.Itoa(*p)), nil
	case *uint64:
		return scalar(strconv.FormatUint(*p, 10)), nil
	case *float64:
		return scalar(strconv.FormatFloat(*p, 'g', -1, 64)), nil
	}
	panic(fmt.Sprintf("config: no printer for %T", p))
}
