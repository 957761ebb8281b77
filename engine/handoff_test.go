package engine

import (
	"testing"
	"time"
)

// TestReceive holds receive to a channel receive's meaning: a value sent
// before or after it starts looking, a value sent after it has given up
// looking and blocked, and a closed channel.
func TestReceive(t *testing.T) {
	c := make(chan int, 1)
	c <- 1
	if v, ok := receive(c); v != 1 || !ok {
		t.Errorf("a waiting value: receive = %d, %v; want 1, true", v, ok)
	}
	for _, after := range []time.Duration{50 * time.Microsecond, 5 * spinFor} {
		go func() {
			time.Sleep(after)
			c <- 2
		}()
		if v, ok := receive(c); v != 2 || !ok {
			t.Errorf("a value sent after %v: receive = %d, %v; want 2, true", after, v, ok)
		}
	}
	close(c)
	if v, ok := receive(c); v != 0 || ok {
		t.Errorf("a closed channel: receive = %d, %v; want 0, false", v, ok)
	}
}
