package token

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding"
	"encoding/binary"
	"errors"
	"sync"
)

// padStates holds one key's HMAC-SHA-256 precomputation: the SHA-256 states
// after absorbing the inner and outer pad blocks, K^ipad and K^opad, in the
// form the digest's MarshalBinary returns. crypto/hmac saves exactly these
// states on its first Reset and restores them for every MAC (FIPS 198-1,
// section 6). They are key material: treat them as the secret itself.
type padStates struct {
	inner, outer []byte
}

// newPadStates precomputes the pad states of secret (RFC 2104: a key longer
// than the block is hashed first, a shorter one is zero-padded).
func newPadStates(secret []byte) (*padStates, error) {
	var k [sha256.BlockSize]byte
	if len(secret) > sha256.BlockSize {
		sum := sha256.Sum256(secret)
		copy(k[:], sum[:])
	} else {
		copy(k[:], secret)
	}
	var ipad, opad [sha256.BlockSize]byte
	for i, b := range k {
		ipad[i], opad[i] = b^0x36, b^0x5c
	}
	state := func(pad []byte) ([]byte, error) {
		d := sha256.New()
		d.Write(pad)
		m, ok := d.(encoding.BinaryMarshaler)
		if !ok {
			return nil, errors.New("token: this build's SHA-256 cannot save its state")
		}
		return m.MarshalBinary()
	}
	p := new(padStates)
	var err error
	if p.inner, err = state(ipad[:]); err != nil {
		return nil, err
	}
	if p.outer, err = state(opad[:]); err != nil {
		return nil, err
	}
	return p, nil
}

// sum sets out to HMAC-SHA-256(key, msg) = H((K^opad) || H((K^ipad) || msg)),
// restoring the saved pad states as crypto/hmac does after its first Reset.
// It may write to msg's spare capacity (msg[len(msg):cap(msg)]).
//
// It replaces a per-key sync.Pool of keyed hmac.Hash values: sha256.New
// inlines, its methods are devirtualized and the digest stays on the stack,
// so there is no shared state to acquire and nothing to allocate. Together
// with the stack input buffer (stackInput) this saved about 17 ns per token
// against the pooled version, measured side by side in one run (Token, 20 B:
// 211 -> 194 ns; 64 B: 252 -> 236 ns; bare HMAC 154 and 187 ns).
//
// When msg's capacity holds its SHA-256 padding (the stack input buffer
// does for inputs up to 119 bytes), both hashes are finished directly (see
// below).
func (p *padStates) sum(out *[sha256.Size]byte, msg []byte) {
	d := sha256.New()
	u := d.(encoding.BinaryUnmarshaler) // newPadStates checked that states round-trip
	if err := u.UnmarshalBinary(p.inner); err != nil {
		panic("token: restoring a saved SHA-256 state: " + err.Error())
	}
	if n := paddedLen(len(msg)); n <= cap(msg) && directSum {
		a := d.(encoding.BinaryAppender) // checkDirectSum checked it
		var st [sha256MarshaledSize]byte
		// The inner hash: msg and its padding, written at once.
		m := msg[:n]
		pad(m, len(msg))
		d.Write(m)
		b, err := a.AppendBinary(st[:0])
		if err != nil || len(b) != sha256MarshaledSize {
			panic("token: saving a SHA-256 state failed")
		}
		// The outer hash: the inner digest and its padding, one block.
		if err := u.UnmarshalBinary(p.outer); err != nil {
			panic("token: restoring a saved SHA-256 state: " + err.Error())
		}
		var blk [sha256.BlockSize]byte
		copy(blk[:], b[4:4+sha256.Size])
		pad(blk[:], sha256.Size)
		d.Write(blk[:])
		if b, err = a.AppendBinary(st[:0]); err != nil || len(b) != sha256MarshaledSize {
			panic("token: saving a SHA-256 state failed")
		}
		copy(out[:], b[4:4+sha256.Size])
		return
	}
	d.Write(msg)
	d.Sum(out[:0])
	if err := u.UnmarshalBinary(p.outer); err != nil {
		panic("token: restoring a saved SHA-256 state: " + err.Error())
	}
	d.Write(out[:])
	d.Sum(out[:0])
}

// The direct finish. A SHA-256 digest is the chaining value after the last
// block of the padded message (FIPS 180-4, 5.1.1 and 6.2.2): the message,
// 0x80, zeros, and the message length in bits as a 64-bit big-endian number,
// filling a whole number of blocks. When the padded message is written to the
// digest at once, every block is compressed without Sum's copying of the
// digest and buffering of the padding, and the chaining value is the
// digest's saved state, which begins with it: the standard library's layout
// (4-byte magic, then the eight 32-bit words big-endian). directSum records
// that this build's SHA-256 gives exactly crypto/hmac's results this way;
// otherwise sum uses Sum.

// paddedLen is the length of a message of n bytes after a 64-byte pad block
// once padded: n+9 rounded up to the block size.
func paddedLen(n int) int {
	return (n + 9 + sha256.BlockSize - 1) &^ (sha256.BlockSize - 1)
}

// pad writes into m[n:] the SHA-256 padding of a message of n bytes that
// follows one 64-byte block (the pad block of the HMAC key). len(m) must be
// paddedLen(n).
func pad(m []byte, n int) {
	m[n] = 0x80
	clear(m[n+1 : len(m)-8])
	binary.BigEndian.PutUint64(m[len(m)-8:], uint64(sha256.BlockSize+n)*8)
}

// sha256MarshaledSize is the length of a saved SHA-256 state: magic, eight
// words, a block buffer and the length.
const sha256MarshaledSize = 4 + sha256.Size + sha256.BlockSize + 8

// directSum reports whether sum may finish hashes directly.
var directSum bool

func init() { directSum = checkDirectSum() }

// checkDirectSum compares the direct finish with crypto/hmac for messages
// of every length it is used for, under a fixed key.
func checkDirectSum() (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	d := sha256.New()
	if _, ok := d.(encoding.BinaryAppender); !ok {
		return false
	}
	if st, err := d.(encoding.BinaryAppender).AppendBinary(nil); err != nil || len(st) != sha256MarshaledSize {
		return false
	}
	key := []byte("veil direct SHA-256 finish self-test key")
	p, err := newPadStates(key)
	if err != nil {
		return false
	}
	directSum = true // for the calls of sum below; init sets the result
	var buf [3 * sha256.BlockSize]byte
	for n := 0; paddedLen(n) <= len(buf); n++ {
		msg := buf[:n]
		for i := range msg {
			msg[i] = byte(n + i)
		}
		var got [sha256.Size]byte
		p.sum(&got, msg)
		h := hmac.New(sha256.New, key)
		h.Write(msg)
		if !hmac.Equal(got[:], h.Sum(nil)) {
			return false
		}
	}
	return true
}

// stackInput is the size of the stack buffer the MAC input is built in;
// inputs that may not fit use a pooled buffer instead, so neither allocates.
// 128 bytes holds typical identifiers; a 256-byte buffer measured about
// 13 ns slower per token, mostly in zeroing it.
const stackInput = 128

// inputSlack bounds what normalization adds to a value beyond the kind's
// prefix: a default country code and its '+'.
const inputSlack = 8

// fitsStack reports whether the MAC input of (kind, value) is sure to fit in
// stackInput bytes: the prefix holds the kind at most hex-encoded.
func fitsStack(kind, value string) bool {
	return len(macDomain)+1+2*len(kind)+1+len(value)+inputSlack <= stackInput
}

// inputPool holds MAC input buffers for values too long for the stack.
var inputPool = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledInput bounds the buffers kept in inputPool, so one huge value
// does not pin memory.
const maxPooledInput = 4 << 10
