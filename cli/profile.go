//go:build pprof

package cli

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"runtime/trace"
)

// startProfile, in a binary built with -tags pprof, writes a CPU profile
// of the whole command to the file LENET_CPUPROFILE names (for looking at
// where the terminal UI's time goes: go tool pprof -top BINARY FILE) and an
// execution trace to the file LENET_TRACE names (for where it waits: go
// tool trace FILE). The function it returns stops both; call it before
// exiting.
func startProfile() func() {
	stopCPU := start("LENET_CPUPROFILE", pprof.StartCPUProfile, pprof.StopCPUProfile)
	stopTrace := start("LENET_TRACE", trace.Start, trace.Stop)
	return func() {
		stopCPU()
		stopTrace()
	}
}

// start begins writing to the file the environment variable env names, if
// it names one, and returns what ends it.
func start(env string, begin func(io.Writer) error, end func()) func() {
	path := os.Getenv(env)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = begin(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "lenet-tui: %s: %v\n", env, err)
		return func() {}
	}
	return func() {
		end()
		f.Close()
	}
}
