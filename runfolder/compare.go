package runfolder

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Shown is s as it may reach a terminal: its control characters (escape
// codes, line breaks) written as Go escapes ("\x1b", "\n"). A run folder's
// text is whatever its files hold; every string read from one is shown
// through Shown, so that a settings.yaml cannot retitle or clear the
// terminal.
func Shown(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			b.WriteString(strings.Trim(strconv.QuoteRune(r), "'"))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Differing lists the settings whose values are not the same in every run
// (a key some run lacks counts as differing), in the first run's order and
// then the others'. A setting's value is the run's course (Course): two
// runs that started alike and one of them switched differ. Where a
// checkpoint was written (save) is not a difference between runs.
func Differing(runs []*Run) []string {
	var keys []string
	seen := map[string]bool{"save": true}
	for _, r := range runs {
		for _, s := range r.Settings {
			if seen[s.Key] {
				continue
			}
			seen[s.Key] = true
			v, _ := r.Course(s.Key)
			for _, o := range runs {
				if w, ok := o.Course(s.Key); !ok || w != v {
					keys = append(keys, s.Key)
					break
				}
			}
		}
	}
	return keys
}

// Label names run r by its course in keys ("activation: sigmoid→relu @1.9
// ep, loss: stable"), or by its folder when keys is empty, for a terminal
// (Shown).
func Label(r *Run, keys []string) string {
	if len(keys) == 0 {
		return Shown(filepath.Base(r.Dir))
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		v, ok := r.Course(k)
		if !ok {
			v = "(unset)"
		}
		parts[i] = Shown(k) + ": " + Shown(v)
	}
	return strings.Join(parts, ", ")
}

// Change is a setting switched while the run trained (a Switch record), as
// compare shows it: the settings.yaml key, the values before and after,
// and when it came into force, after Step batches, Epoch epochs.
type Change struct {
	Key      string // "activation" or "lr"
	From, To string
	Step     int
	Epoch    float64
}

// switched are the types of Switch record, each named as the settings.yaml
// key it changes.
var switched = []string{"activation", "lr"}

// Changes lists the switches of the run, in order, as changes of its
// settings: several at one step are one (the last; the values between
// never trained), one that changes nothing is left out, and those before
// the first batch are not changes but the value the run started with
// (Started).
func (r *Run) Changes() []Change {
	var out []Change
	now := map[string]string{} // each key's value in force
	for _, s := range r.Switches {
		key := s.Type
		if !slices.Contains(switched, key) || s.Step <= 0 {
			continue
		}
		from, seen := now[key]
		if !seen {
			from = r.Started(key)
		}
		if i := lastOf(out, key); i >= 0 && out[i].Step == s.Step {
			from = out[i].From // superseded at the same step
			out = slices.Delete(out, i, i+1)
		}
		to := switchValue(s)
		if to != from {
			out = append(out, Change{Key: key, From: from, To: to, Step: s.Step, Epoch: r.epochAt(s.Step)})
		}
		now[key] = to
	}
	return out
}

// lastOf is the index of the last change of key in chs, or -1.
func lastOf(chs []Change, key string) int {
	for i := len(chs) - 1; i >= 0; i-- {
		if chs[i].Key == key {
			return i
		}
	}
	return -1
}

// Started is the value of key the run trained its first batch with:
// settings.yaml's, or a switch made before the first batch (the terminal
// UI sends one when a key was pressed while the run was starting).
func (r *Run) Started(key string) string {
	v, _ := r.Value(key)
	for _, s := range r.Switches {
		if s.Step <= 0 && s.Type == key && slices.Contains(switched, key) {
			v = switchValue(s)
		}
	}
	return v
}

// switchValue is the value a Switch sets, as settings.yaml writes such
// a value.
func switchValue(s Switch) string {
	if s.Type == "lr" {
		return strconv.FormatFloat(float64(s.LR), 'g', 3, 64)
	}
	return s.Activation
}

// epochAt is the epochs trained after step: the batches per epoch from the
// points (step / epoch), else from the start record's counts.
func (r *Run) epochAt(step int) float64 {
	for _, p := range r.Points {
		if p.Step > 0 && p.Epoch > 0 {
			return float64(step) * p.Epoch / float64(p.Step)
		}
	}
	if r.Start.Batch > 0 && r.Start.TrainImages > 0 {
		return float64(step) / math.Ceil(float64(r.Start.TrainImages)/float64(r.Start.Batch))
	}
	return math.NaN()
}

// Course is setting key as the run went: the value it started with
// (Started) when it was never switched; with switches, the values in turn
// and the epochs at which they came into force: "sigmoid→relu @1.9 ep",
// "0.003→0.006→0.003 @0.5, 1.2 ep", or past three switches
// "relu→…→sigmoid (5 switches, 0.4–2.7 ep)". ok reports whether the run
// has the setting at all.
func (r *Run) Course(key string) (v string, ok bool) {
	if _, ok = r.Value(key); ok {
		v = r.Started(key)
	}
	var chs []Change
	for _, c := range r.Changes() {
		if c.Key == key {
			chs = append(chs, c)
		}
	}
	if len(chs) == 0 {
		return v, ok
	}
	first, last := chs[0], chs[len(chs)-1]
	if len(chs) > 3 {
		return fmt.Sprintf("%s→…→%s (%d switches, %s–%s ep)", first.From, last.To, len(chs), epochs(first.Epoch), epochs(last.Epoch)), true
	}
	values, at := []string{first.From}, make([]string, len(chs))
	for i, c := range chs {
		values, at[i] = append(values, c.To), epochs(c.Epoch)
	}
	return strings.Join(values, "→") + " @" + strings.Join(at, ", ") + " ep", true
}

// epochs writes an epoch count to a tenth: "1.9"; "?" when unknown.
func epochs(e float64) string {
	if math.IsNaN(e) {
		return "?"
	}
	return strconv.FormatFloat(e, 'f', 1, 64)
}

// Final is the run's last test result: its end's, or else its last epoch's
// (NaN when it has neither), and how many epochs it completed.
func (r *Run) Final() (testLoss, testAcc float64, epochs int) {
	testLoss, testAcc = math.NaN(), math.NaN()
	if n := len(r.Epochs); n > 0 {
		e := r.Epochs[n-1]
		testLoss, testAcc, epochs = float64(e.TestLoss), float64(e.TestAcc), e.Epoch
	}
	if r.End != nil && r.End.Type != "failed" {
		if !math.IsNaN(float64(r.End.TestAcc)) {
			testLoss, testAcc = float64(r.End.TestLoss), float64(r.End.TestAcc)
		}
		epochs = r.End.Epochs
	}
	return testLoss, testAcc, epochs
}

// Outcome says in a few words how the run ended: "finished", "stopped",
// "failed at epoch 1, batch 1: …", or "cut short" (killed).
func (r *Run) Outcome() string {
	switch {
	case r.End == nil:
		return "cut short"
	case r.End.Type == "failed":
		return "failed: " + r.End.Message
	case r.End.Type == "stopped":
		return "stopped"
	}
	return "finished"
}
