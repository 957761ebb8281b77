package config

import (
	"errors"
	"reflect"
	"testing"

	"github.com/lenet-tui/lenet-tui/engine"
)

// FuzzConfigFile reads any text as a config file and builds the net it
// names: never a panic, every problem an *Error, and a config that resolves
// prints as YAML that reads back the same, with a net whose planned counts
// are the built net's.
func FuzzConfigFile(f *testing.F) {
	for _, seed := range []string{
		"arch: lenet5\nactivation: sigmoid\nlr: 0.01\nbatch: 8\n",
		"arch: seed-code\nloss: naive\nreduction: sum\ninit: truncated-normal\ninit_std: 0.5\n",
		"arch: mine\nlayers:\n  - {name: C1, kind: conv, maps: 4, kernel: 5, padding: same}\n  - {name: S2, kind: pool, pool: subsample}\n  - {name: C3, kind: conv, maps: 16, kernel: 5, table: lenet5}\n  - {name: OUT, kind: dense, units: 10}\n",
		"arch: x\nlayers: [{name: C, kind: conv, maps: 6, kernel: 3, padding: 2}, {name: P, kind: pool, pool: avg, kernel: 3, padding: same}, {name: O, kind: dense, units: 10, activation: none}]\n",
		"arch: p\nbias: per-position\norder: pool-then-activate\noutput: rbf\non_nan: continue\nlayers: [{name: P, kind: pad, padding: 2}, {name: C, kind: conv, maps: 2, kernel: 5}, {name: S, kind: pool, pool: subsample}, {name: F, kind: dense, units: 84}, {name: O, kind: dense, units: 10}]\n",
		"arch: lenet5-1998\ninit: lecun-1998\ninput: paper\n",
		"arch: &a x\nlayers: [{name: *a, kind: dense, units: 10}]\n",
		"lr: 0.1\n---\nlr: 0.2\n",
		"batch: 2.5\nepochs: 1e9\nseed: 18446744073709551616\n",
		"\"a\\e[31m\": 1\n",
		"- lr\n",
		"lr: [\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := parseFile("fuzz.yaml", data)
		var c Config
		if err == nil {
			c, err = resolve(entries)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("config %q: error %#v, want an *Error", data, err)
			}
			return
		}
		yaml, err := c.YAML()
		if err != nil {
			t.Fatalf("config %q resolves, but YAML() = %v", data, err)
		}
		back, err := parseFile("back.yaml", yaml)
		if err == nil {
			var again Config
			if again, err = resolve(back); err == nil {
				c.from, again.from = nil, nil
				if !reflect.DeepEqual(c, again) {
					t.Fatalf("config %q resolves to %+v, its YAML\n%s\nto %+v", data, c, yaml, again)
				}
			}
		}
		if err != nil {
			t.Fatalf("config %q resolves, its YAML\n%s\ndoes not: %v", data, yaml, err)
		}
		spec, err := c.Spec()
		if err != nil {
			t.Fatalf("config %q resolves, Spec() = %v", data, err)
		}
		spec = spec.ForClasses(10) // as the program builds it for MNIST
		in := engine.Shape{C: 1, H: 28, W: 28}
		infos, err := engine.Plan(spec, in, 10, c.Settings)
		if err != nil {
			t.Fatalf("config %q resolves, Plan() = %v", data, err)
		}
		if p, _ := engine.Totals(infos); p > 1<<20 {
			return // counted, but too large to build at every turn
		}
		net, err := engine.Build(spec, in, 10, c.Settings)
		if err != nil {
			t.Fatalf("config %q plans, Build() = %v", data, err)
		}
		if got := net.Info(); !reflect.DeepEqual(got, infos) {
			t.Fatalf("config %q: Build().Info() = %+v, Plan() = %+v", data, got, infos)
		}
	})
}
