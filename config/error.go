package config

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Error is a setting that cannot be used, or a key or flag that is not one.
// It says where the value came from: a file and line, or a flag.
type Error struct {
	File    string // the config file; "" when the value came from a flag
	Line    int    // 1-based line in File; 0 when unknown
	Key     string // the setting's key, or the unknown key or flag as written
	Value   string // the value as given; quoted when it is text
	Want    string // what the setting accepts; for Unknown, the nearest name, if any
	Unknown bool   // Key names no setting
	Err     error  // a problem beyond one value, such as a layers list that does not build
	// Implicit marks an error in the config.yaml read by default, from the
	// working directory, rather than one named with --config.
	Implicit bool
}

func (e *Error) Error() string {
	msg := e.message()
	if e.Implicit {
		msg += fmt.Sprintf(" (%s is read from the working directory when no --config is given; --config FILE picks another)", e.File)
	}
	return msg
}

func (e *Error) message() string {
	where, name := "", "--"+FlagName(e.Key)
	if e.File != "" {
		where, name = e.File+": ", e.Key
		if e.Line > 0 {
			where = fmt.Sprintf("%s:%d: ", e.File, e.Line) // file:line, as compilers write it, so editors can jump there
		}
	}
	switch {
	case e.Unknown && e.File != "":
		msg := where + "unknown key " + printable(e.Key)
		if e.Want != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", e.Want)
		}
		return msg
	case e.Unknown:
		msg := "unknown flag " + printable(e.Key)
		if e.Want != "" {
			msg += fmt.Sprintf(" (did you mean --%s?)", e.Want)
		}
		return msg + "; see --help"
	case e.Err != nil && e.Key == "":
		return fmt.Sprintf("%s%v", where, e.Err)
	case e.Err != nil:
		return fmt.Sprintf("%s%s: %v", where, name, e.Err)
	}
	return fmt.Sprintf("%s%s %s: want %s", where, name, e.Value, e.Want)
}

func (e *Error) Unwrap() error { return e.Err }

// printable returns s as it is when every character in it is printable,
// else quoted with escapes: a key from a file must not send escape codes to
// the terminal.
func printable(s string) string {
	for _, r := range s {
		if r == utf8.RuneError || !strconv.IsPrint(r) {
			return strconv.QuoteToASCII(s)
		}
	}
	return s
}

// source is where a value was set: a file and line, or (File "") a flag.
type source struct {
	file string
	line int
}

// errorAt is an Error about key at src.
func (src source) errorAt(key string) *Error {
	return &Error{File: src.file, Line: src.line, Key: key}
}

// Nearest returns the candidate closest to name in edit distance, if it is
// close enough to be a likely typo; "" otherwise.
func Nearest(name string, candidates []string) string {
	best, bestD := "", max(2, len(name)/3)+1
	for _, c := range candidates {
		if d := distance(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
