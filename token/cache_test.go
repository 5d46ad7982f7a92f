package token

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

func TestWithCacheSize(t *testing.T) {
	tests := []struct{ in, want int }{
		{-5, 0}, {0, 0}, {1, 1}, {2, 2}, {3, 4}, {1000, 1024}, {1 << 20, 1 << 20}, {1<<20 + 1, 1 << 20}, {1 << 40, 1 << 20},
	}
	for _, tt := range tests {
		c := newConfig([]Option{WithCache(tt.in)})
		if c.cacheSize != tt.want {
			t.Errorf("WithCache(%d): size %d, want %d", tt.in, c.cacheSize, tt.want)
		}
		tk := New(nil, WithCache(tt.in))
		if (tk.cache != nil) != (tt.want > 0) || (tk.cache != nil && len(tk.cache.slots) != tt.want) {
			t.Errorf("WithCache(%d): cache %v", tt.in, tk.cache != nil)
		}
	}
}

// TestCacheMatchesUncached drives a tiny cache (so slots collide and evict)
// and checks every answer against an uncached tokenizer.
func TestCacheMatchesUncached(t *testing.T) {
	kr := mustKeyring(t, Key{ID: "k1", Secret: katK1})
	ref := New(kr)
	for _, size := range []int{1, 2, 16} {
		tk := New(kr, WithCache(size))
		for round := range 3 {
			for i := range 50 {
				for _, kind := range []string{Email, UserID, "Bad"} {
					v := fmt.Sprintf("User%d@Example.com", i%13)
					want := ref.Token(kind, v)
					if got := tk.Token(kind, v); got != want {
						t.Fatalf("size %d round %d: Token(%q, %q) = %q, want %q", size, round, kind, v, got, want)
					}
					if got := string(tk.AppendToken([]byte("p:"), kind, v)); got != "p:"+want {
						t.Fatalf("size %d: AppendToken(%q, %q) = %q, want p:%q", size, kind, v, got, want)
					}
				}
			}
		}
	}
}

func TestCacheHitDoesNotAllocate(t *testing.T) {
	tk := New(mustKeyring(t, Key{ID: "k1", Secret: katK1}), WithCache(1024))
	buf := make([]byte, 0, 128)
	tk.Token(Email, "alice@example.com")
	if n := testing.AllocsPerRun(100, func() { _ = tk.Token(Email, "alice@example.com") }); n != 0 {
		t.Errorf("cached Token: %v allocs, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { buf = tk.AppendToken(buf[:0], Email, "alice@example.com") }); n != 0 {
		t.Errorf("cached AppendToken: %v allocs, want 0", n)
	}
}

func TestCacheBounds(t *testing.T) {
	tk := New(mustKeyring(t, Key{ID: "k1", Secret: katK1}), WithCache(4))
	long := strings.Repeat("a", maxCachedValue+1)
	tk.Token(UserID, long)
	for i := range tk.cache.slots {
		if e := tk.cache.slots[i].Load(); e != nil {
			t.Errorf("value of %d bytes was cached", len(e.value))
		}
	}
	// A cached substring is copied, so it does not pin its source buffer.
	body := strings.Repeat("x", 1<<16) + "alice@example.com"
	sub := body[1<<16:]
	tk.Token(Email, sub)
	for i := range tk.cache.slots {
		if e := tk.cache.slots[i].Load(); e != nil && e.value == sub && unsafe.StringData(e.value) == unsafe.StringData(sub) {
			t.Error("cache holds the caller's string instead of a copy")
		}
	}
}
