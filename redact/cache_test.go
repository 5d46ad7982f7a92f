package redact

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

// TestCacheTellsTextsApart: texts that share length, first and last bytes,
// or all but one byte, are never taken for one another, whatever their
// length (the exact words of short texts, the whole compare of long ones).
func TestCacheTellsTextsApart(t *testing.T) {
	r := mustNew(t)
	st := r.newState()
	for n := 1; n <= cacheMaxText; n++ {
		clean := strings.Repeat("a", n)
		for range 2 { // the second sighting stores it
			if ms := r.scan(&st, clean); len(ms) != 0 {
				t.Fatalf("%q: %v", clean, ms)
			}
		}
		k, hit := r.clean.probe(clean)
		if !hit {
			t.Fatalf("len %d: a text seen twice is not cached (key %+v)", n, k)
		}
		for i := range n {
			other := clean[:i] + "b" + clean[i+1:]
			if _, hit := r.clean.probe(other); hit {
				t.Fatalf("len %d: %q taken for %q", n, other, clean)
			}
		}
		if _, hit := r.clean.probe(clean[:n-1] + "aa"); hit && n < cacheMaxText {
			t.Fatalf("len %d: a longer text taken for it", n)
		}
	}
}

// TestCacheAdmission: a text is stored the second time in a row its slot
// misses with it, never when seen once, and never when it is not clean.
func TestCacheAdmission(t *testing.T) {
	r := mustNew(t)
	st := r.newState()
	r.scan(&st, "request handled")
	if _, hit := r.clean.probe("request handled"); hit {
		t.Fatal("stored on first sighting")
	}
	r.scan(&st, "request handled")
	if _, hit := r.clean.probe("request handled"); !hit {
		t.Fatal("not stored on second sighting")
	}
	dirty := "mail alice@example.com now"
	for range 3 {
		if ms := r.scan(&st, dirty); len(ms) != 1 {
			t.Fatalf("scan of %q: %v", dirty, ms)
		}
	}
	if _, hit := r.clean.probe(dirty); hit {
		t.Fatal("a text with a match was stored")
	}
	long := strings.Repeat("x", cacheMaxText+1)
	for range 3 {
		r.scan(&st, long)
	}
	for i := range r.clean.slots {
		if e := r.clean.slots[i].e.Load(); e != nil && len(e.text) > cacheMaxText {
			t.Fatalf("a text of %d bytes was stored", len(e.text))
		}
	}
}

// TestCacheValueFromReusedBuffer: a value (or message) built over a reused
// buffer with unsafe.String, clean when first logged, is scanned again when
// the buffer holds a secret: the cache compares content, never addresses.
func TestCacheValueFromReusedBuffer(t *testing.T) {
	// One secret per way probe compares: 4–7 bytes, 8–16, and longer.
	for _, secret := range []string{"8.8.8.8", "a@example.io", "4111111111111111", "mail alice.smith@example.com at once"} {
		t.Run(secret, func(t *testing.T) {
			r := mustNew(t)
			if r.Redact(secret) == secret {
				t.Fatalf("%q is not a detector match", secret)
			}
			var out bytes.Buffer
			l := slog.New(r.Handler(slog.NewJSONHandler(&out, nil)))
			buf := []byte(strings.Repeat("z", len(secret)))
			s := unsafe.String(unsafe.SliceData(buf), len(buf))
			for range 3 {
				l.Info(s, "v", s)
			}
			if _, hit := r.clean.probe(s); !hit {
				t.Fatal("the clean text was not cached")
			}
			copy(buf, secret)
			out.Reset()
			l.Info(s, "v", s)
			if strings.Contains(out.String(), secret) {
				t.Errorf("%q leaked after its buffer was reused: %s", secret, out.String())
			}
		})
	}
}

// TestCacheConcurrent runs scans of shared texts from several goroutines
// (run with -race): hits, misses, admissions and evictions race safely and
// every scan still finds what is there.
func TestCacheConcurrent(t *testing.T) {
	r := mustNew(t)
	texts := make([]string, 2*cacheSlots)
	for i := range texts {
		texts[i] = fmt.Sprintf("item %d handled", i)
		if i%7 == 0 {
			texts[i] = fmt.Sprintf("mail u%d@example.com", i)
		}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			st := r.newState()
			for i := range 4 * len(texts) {
				s := texts[(i*(g+1))%len(texts)]
				got := len(r.scan(&st, s)) > 0
				if want := strings.Contains(s, "@"); got != want {
					t.Errorf("%q: matched=%v", s, got)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestCacheNoChurn: texts that share a slot (here: equal length, first and
// last sixteen bytes, so the same cheap hash) and alternate are scanned,
// never stored in turn: no allocation per record.
func TestCacheNoChurn(t *testing.T) {
	r := mustNew(t)
	st := r.newState()
	a := "the first sixteen XXXX the last sixteen"
	b := "the first sixteen YYYY the last sixteen"
	ka, _ := r.clean.probe(a)
	kb, _ := r.clean.probe(b)
	if ka.h != kb.h {
		t.Fatalf("the texts do not share a hash: %x %x", ka.h, kb.h)
	}
	i := 0
	if n := testing.AllocsPerRun(200, func() {
		r.scan(&st, []string{a, b}[i%2])
		i++
	}); n != 0 {
		t.Errorf("%v allocations per scan, want 0", n)
	}
	if _, hit := r.clean.probe(a); hit {
		t.Error("an alternating text was stored")
	}
}

// FuzzCacheAgrees: after a text a has been stored, the cache's answer for
// any text b is the scanner's: it finds matches in b exactly when a fresh
// scan does, whatever a and b share (length, first or last bytes).
func FuzzCacheAgrees(f *testing.F) {
	f.Add("request handled", "request handlEd")
	f.Add("GET", "a@b")
	f.Add("/api/v2/orders/48213377", "/api/v2/orders/4111111111111111")
	f.Add("3f2b8c1e-9a4d-4e7b-b1c2-7d5e6f8a9b0c", "3f2b8c1e-9a4d-4e7b-b1c2-7d5e6f8a9b0c ")
	f.Add("the first sixteen XXXX the last sixteen", "the first sixteen a@b.co the last sixteen")
	r, err := New()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if a == "" || b == "" {
			return
		}
		st := r.newState()
		for range 2 {
			r.scan(&st, a)
		}
		for range 3 {
			got := len(r.scan(&st, b)) > 0
			want := len(r.scanner.Scan(nil, b)) > 0
			if got != want {
				t.Fatalf("after %q: scan(%q) found matches: %v, a fresh scan: %v", a, b, got, want)
			}
		}
	})
}
