//go:build !pprof

package cli

// startProfile does nothing unless the binary is built with -tags pprof
// (profile.go).
func startProfile() func() { return func() {} }
