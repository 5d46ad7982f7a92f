package redact

import (
	"hash/maphash"
	"strings"
	"sync/atomic"

	"github.com/veilhq/veil/internal/scan"
)

// Sizes of the clean-text cache: cacheSlots slots (a power of two), texts of
// up to cacheMaxText bytes, so at most 128 KiB of cached text per Redactor.
const (
	cacheSlots   = 512
	cacheMaxText = 256
)

// cleanCache remembers texts in which the detectors found nothing: log
// messages, span names, enumerations such as HTTP methods and route
// templates — texts that repeat from record to record. The scanner is a
// pure function of the text, so a text found clean once is clean again and
// needs no scan; the cache is consulted only where the scan is all that
// decides (the message, and string values under plain keys), never in place
// of a key rule or sanitizer.
//
// It is a direct-mapped table indexed by a cheap hash (probe). A hit
// compares the whole text with a copy the cache owns, never by address: a
// string built over a reused buffer (unsafe.String) with new content is a
// miss. A text is stored the second time in a row its slot misses with it
// (remember), so texts seen once (request ids, timestamps) are never stored
// and cost no allocation, and two texts that share a slot and alternate are
// simply scanned. It is safe for concurrent use.
type cleanCache struct {
	seed  maphash.Seed
	slots [cacheSlots]cacheSlot
}

type cacheSlot struct {
	e    atomic.Pointer[cacheEntry] // a clean text
	hint atomic.Uint64              // seeded hash of the last text that missed here
}

// cacheEntry is a clean text; a text of up to 16 bytes is compared by its
// words (textKey), a longer one whole.
type cacheEntry struct {
	w0, w1 uint64
	text   string
}

// scan returns the detector matches in s (non-empty), from the cache when s
// is known clean. Like a scan into st.matches(), the result is valid until
// the next scan of st.
func (r *Redactor) scan(st *state, s string) []scan.Match {
	k, hit := r.clean.probe(s)
	if hit {
		return nil
	}
	return r.scanMiss(st, s, k)
}

// scanMiss scans s, which probe did not find, and remembers it if clean.
func (r *Redactor) scanMiss(st *state, s string, k textKey) []scan.Match {
	ms := r.scanner.Scan(st.matches(), s)
	st.putMatches(ms)
	if len(ms) == 0 && len(s) <= cacheMaxText {
		r.clean.remember(s, k)
	}
	return ms
}

// textKey is what the cache knows a text of at most cacheMaxText bytes by:
// its hash h and, for a text of up to 16 bytes, two words which with its
// length tell it from every other text (its first and last eight bytes, or
// fewer bytes in w0).
type textKey struct{ h, w0, w1 uint64 }

// probe reports whether s (not empty) is known clean, and returns its key
// for remember. Texts over cacheMaxText bytes are never cached.
func (c *cleanCache) probe(s string) (k textKey, hit bool) {
	switch n := len(s); {
	case n > cacheMaxText:
		return k, false
	case n > 16:
		k.h = textHash(s)
		e := c.slots[k.h&(cacheSlots-1)].e.Load()
		return k, e != nil && e.text == s
	case n >= 8:
		k.w0, k.w1 = load64(s, 0), load64(s, n-8)
	case n >= 4:
		k.w0 = uint64(load32(s, 0)) | uint64(load32(s, n-4))<<32
	case n > 0:
		k.w0 = uint64(s[0]) | uint64(s[n>>1])<<8 | uint64(s[n-1])<<16
	}
	k.h = mix(k.w0^k.w1*0xbf58476d1ce4e5b9, uint64(len(s)))
	e := c.slots[k.h&(cacheSlots-1)].e.Load()
	return k, e != nil && len(e.text) == len(s) && e.w0 == k.w0 && e.w1 == k.w1
}

// remember records that s, whose key is k, is clean: the second time in a
// row its slot is told of it. The hint is a seeded hash of the whole text,
// computed only here (after a scan, which costs more): two texts that share
// a slot and alternate, even with one cheap hash, are never stored in turn.
func (c *cleanCache) remember(s string, k textKey) {
	sl := &c.slots[k.h&(cacheSlots-1)]
	if f := maphash.String(c.seed, s); sl.hint.Load() != f {
		sl.hint.Store(f)
		return
	}
	// A copy: it pins no larger buffer and cannot change.
	sl.e.Store(&cacheEntry{w0: k.w0, w1: k.w1, text: strings.Clone(s)})
}

// textHash hashes s, of 17 to cacheMaxText bytes, by its length and its
// first and last sixteen bytes: cheap, and enough to spread the texts that
// repeat over the slots. Texts that differ only in the middle share a slot
// and are told apart by probe's whole compare.
func textHash(s string) uint64 {
	n := len(s)
	a := load64(s, 0) ^ load64(s, 8)*0xbf58476d1ce4e5b9
	b := load64(s, n-16) ^ load64(s, n-8)*0xbf58476d1ce4e5b9
	return mix(a^uint64(n), b)
}

// mix combines two words into a well-spread hash.
func mix(a, b uint64) uint64 {
	h := (a ^ b*0x9e3779b97f4a7c15) * 0x94d049bb133111eb
	return h ^ h>>29
}

// load64 and load32 read little-endian words; the compiler makes each one
// load.
func load64(s string, i int) uint64 {
	b := s[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

func load32(s string, i int) uint32 {
	b := s[i : i+4]
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}
