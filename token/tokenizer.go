package token

import (
	"crypto/sha256"
	"slices"
	"unsafe"
)

// b32Alphabet is the alphabet of tokens: lower-case RFC 4648 base32,
// written without padding.
const b32Alphabet = "abcdefghijklmnopqrstuvwxyz234567"

// base32Len is the length of the unpadded base32 encoding of n bytes.
func base32Len(n int) int { return (n*8 + 4) / 5 }

// appendBase32 appends the unpadded base32 encoding of src, in b32Alphabet,
// to dst. It is equivalent to encoding/base32's AppendEncode
// (TestAppendBase32 checks): it grows dst once, encodes
// whole 5-byte groups through one 40-bit word into 8 characters at a time,
// and the last bytes through one word as well.
func appendBase32(dst, src []byte) []byte {
	n := base32Len(len(src))
	dst = slices.Grow(dst, n)
	out := dst[len(dst) : len(dst)+n]
	for len(src) >= 5 {
		w := uint64(src[0])<<32 | uint64(src[1])<<24 | uint64(src[2])<<16 | uint64(src[3])<<8 | uint64(src[4])
		o := (*[8]byte)(out)
		o[0], o[1], o[2], o[3] = b32Alphabet[w>>35&31], b32Alphabet[w>>30&31], b32Alphabet[w>>25&31], b32Alphabet[w>>20&31]
		o[4], o[5], o[6], o[7] = b32Alphabet[w>>15&31], b32Alphabet[w>>10&31], b32Alphabet[w>>5&31], b32Alphabet[w&31]
		src, out = src[5:], out[8:]
	}
	if len(src) > 0 {
		var w uint64
		for i, b := range src {
			w |= uint64(b) << (32 - 8*i)
		}
		for i := range out {
			out[i] = b32Alphabet[w>>(35-5*i)&31]
		}
	}
	return dst[:len(dst)+n]
}

// Tokenizer computes keyed, deterministic tokens: HMAC-SHA-256 under the
// primary key of its Keyring, over a kind-separated, normalized value. The
// same keyring and options give the same tokens in every process and on every
// machine. A Tokenizer is immutable and safe for concurrent use.
//
// A nil *Tokenizer, or one built on a nil or empty Keyring, fails closed:
// Token returns Placeholder(kind) and Candidates returns nil.
type Tokenizer struct {
	kr     *Keyring
	cfg    config
	nbytes int // MAC bytes kept, cfg.bits/8
	cache  *cache
}

// New returns a Tokenizer that makes tokens with kr's primary key. Options
// adjust the token length ([WithBits]), normalization ([WithEmailLocalFold],
// [WithDefaultCountryCode]) and caching ([WithCache]). New never fails: out of
// range option values are adjusted as each option documents.
func New(kr *Keyring, opts ...Option) *Tokenizer {
	t := &Tokenizer{kr: kr, cfg: newConfig(opts)}
	t.nbytes = t.cfg.bits / 8
	if t.cfg.cacheSize > 0 {
		t.cache = newCache(t.cfg.cacheSize)
	}
	return t
}

func (t *Tokenizer) usable() bool { return t != nil && t.kr != nil && len(t.kr.keys) > 0 }

// Token returns the token of value under the primary key, e.g.
// "tok_k2_<26 base32 characters>" with the default 128 bits. Values are
// normalized by kind first, so "Alice@Example.COM " and "alice@example.com"
// share a token. It never panics and never returns value.
func (t *Tokenizer) Token(kind, value string) string {
	if !t.usable() {
		return Placeholder(kind)
	}
	if t.cache != nil {
		if tok, ok := t.cache.get(kind, value); ok {
			return tok
		}
	}
	tok := t.token(t.kr.keys[0], kind, value)
	if t.cache != nil {
		t.cache.put(kind, value, tok)
	}
	return tok
}

// AppendToken appends the token of value, as returned by Token, to dst and
// returns the extended slice. When dst has room it does not allocate.
func (t *Tokenizer) AppendToken(dst []byte, kind, value string) []byte {
	if !t.usable() {
		return append(dst, Placeholder(kind)...)
	}
	if t.cache != nil {
		if tok, ok := t.cache.get(kind, value); ok {
			return append(dst, tok...)
		}
		start := len(dst)
		dst = t.appendToken(dst, t.kr.keys[0], kind, value)
		t.cache.put(kind, value, string(dst[start:]))
		return dst
	}
	return t.appendToken(dst, t.kr.keys[0], kind, value)
}

// Candidates returns the token of value under every key of the keyring,
// primary first. A token recorded before a key rotation is among them as
// long as its key is still in the ring; use it to find records about one
// person across rotations.
func (t *Tokenizer) Candidates(kind, value string) []string {
	if !t.usable() {
		return nil
	}
	out := make([]string, len(t.kr.keys))
	for i, k := range t.kr.keys {
		out[i] = t.token(k, kind, value)
	}
	return out
}

// token returns the token of value under k. The MAC is computed first and
// the token written into one allocation of its final size, which becomes the
// string without a copy.
func (t *Tokenizer) token(k *ringKey, kind, value string) string {
	var sum [sha256.Size]byte
	t.mac(&sum, k, kind, value)
	b := make([]byte, 0, len(k.prefix)+base32Len(t.nbytes))
	b = append(b, k.prefix...)
	b = appendBase32(b, sum[:t.nbytes])
	return unsafe.String(unsafe.SliceData(b), len(b)) // b is not used again
}

// appendToken is the uncached hot path of AppendToken: it appends the token
// of value under k to dst.
func (t *Tokenizer) appendToken(dst []byte, k *ringKey, kind, value string) []byte {
	var sum [sha256.Size]byte
	t.mac(&sum, k, kind, value)
	dst = append(dst, k.prefix...)
	return appendBase32(dst, sum[:t.nbytes])
}

// mac sets sum to the MAC of (kind, value) under k, computed in stack space
// (a pooled buffer holds the MAC input of long values).
func (t *Tokenizer) mac(sum *[sha256.Size]byte, k *ringKey, kind, value string) {
	if fitsStack(kind, value) {
		var a [stackInput]byte
		k.pads().sum(sum, t.cfg.appendMACInput(a[:0], kind, value))
	} else {
		bp := inputPool.Get().(*[]byte)
		*bp = t.cfg.appendMACInput((*bp)[:0], kind, value)
		k.pads().sum(sum, *bp)
		if cap(*bp) <= maxPooledInput {
			inputPool.Put(bp)
		}
	}
}

// ParseToken reports whether s has the exact shape of a token, "tok_" + key
// id + "_" + lower-case unpadded base32 of 12 to 32 bytes, and returns the key
// id. It checks form only: whether the token was made by a given keyring and
// value is answered by comparing with [Tokenizer.Candidates].
func ParseToken(s string) (keyID string, ok bool) {
	if len(s) < 4 || s[:4] != "tok_" {
		return "", false
	}
	rest := s[4:]
	i := 0
	for i < len(rest) && i <= maxKeyIDLen && rest[i] != '_' {
		i++
	}
	if i == len(rest) || rest[i] != '_' || checkKeyID(rest[:i]) != nil {
		return "", false
	}
	id, body := rest[:i], rest[i+1:]
	// Valid lengths are the encodings of 12..32 bytes; the unused low bits of
	// the last character must be zero, as the encoder leaves them.
	n := len(body) * 5 / 8
	if n < minBits/8 || n > maxBits/8 || base32Len(n) != len(body) {
		return "", false
	}
	var last byte
	for j := 0; j < len(body); j++ {
		c := body[j]
		switch {
		case 'a' <= c && c <= 'z':
			last = c - 'a'
		case '2' <= c && c <= '7':
			last = c - '2' + 26
		default:
			return "", false
		}
	}
	if extra := len(body)*5 - n*8; last&(1<<extra-1) != 0 {
		return "", false
	}
	return id, true
}
