package tui

import (
	"os"
	"strings"
	"testing"
)

// readmeSection is the part of the README under the heading line head, up
// to the next heading of the same or a higher level.
func readmeSection(t *testing.T, readme, head string) string {
	t.Helper()
	level := head[:strings.Index(head, " ")+1] // "## " or "### "
	i := strings.Index(readme, "\n"+head+"\n")
	if i < 0 {
		t.Fatalf("README.md: no heading %q", head)
	}
	rest := readme[i+len(head)+2:]
	for _, l := range strings.SplitAfter(rest, "\n") {
		if strings.HasPrefix(l, "#") {
			h := l[:strings.IndexByte(l, ' ')+1]
			if len(h) <= len(level) {
				return rest[:strings.Index(rest, l)]
			}
		}
	}
	return rest
}

// TestReadmeKeys keeps the README's keys section the same as '?': every
// group of keyMap.groups() is a heading under "## Keys", and under it each
// of the group's keys, as `key`, with its why. Every tour step's title is
// in the README's tour section.
func TestReadmeKeys(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	keys := readmeSection(t, readme, "## Keys")
	for _, g := range newKeyMap().groups() {
		sec := readmeSection(t, keys, "### "+g.title)
		for _, kw := range g.keys {
			k := "`" + kw.b.Help().Key + "`"
			if !strings.Contains(sec, k) {
				t.Errorf("README.md, keys, %s: no %s (? shows %s: %s)", g.title, k, k, kw.why)
			}
			if !strings.Contains(sec, kw.why) {
				t.Errorf("README.md, keys, %s: no %q (the why of %s in ?)", g.title, kw.why, k)
			}
		}
	}
	tour := readmeSection(t, readme, "## The tour")
	for i, s := range tourSteps {
		if !strings.Contains(tour, s.title) {
			t.Errorf("README.md, the tour: no step %d, %q", i+1, s.title)
		}
	}
}
