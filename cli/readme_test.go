package cli

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeCommands: the README's command table lists every command with
// the words --help gives it, so it cannot drift from the program.
func TestReadmeCommands(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, c := range commands {
		row := "| `lenet-tui` |"
		if c.name != "" {
			row = "| `lenet-tui " + c.name + "` | " + c.about + " |"
		}
		if !strings.Contains(readme, row) {
			t.Errorf("README.md: the command table has no row %q", row)
		}
	}
}
