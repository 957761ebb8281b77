//go:build pprof

package cli

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startProfile, in a binary built with -tags pprof, writes a CPU profile
// of the whole command to the file LENET_CPUPROFILE names (for looking at
// where the terminal UI's time goes: go tool pprof -top BINARY FILE). The
// function it returns stops the profile; call it before exiting.
func startProfile() func() {
	path := os.Getenv("LENET_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lenet-tui: LENET_CPUPROFILE:", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
