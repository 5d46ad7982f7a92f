package scan

import (
	"bytes"
	"encoding/base64"
)

// jwtEnd recognizes a JSON Web Token at i: three base64url segments joined by
// '.', the header starting "eyJ" and decoding to a JSON object with an "alg"
// member. An empty signature (alg "none") is accepted; the span then stops
// before the trailing '.'. An encrypted token (JWE: header, key, IV,
// ciphertext and tag; the key empty with alg "dir") is matched whole. It
// returns the end of the token, or 0.
func jwtEnd(t string, i int) int {
	if len(t)-i < 10 || t[i+1] != 'y' || t[i+2] != 'J' {
		return 0
	}
	h := run(t, i, cB64URL)
	if byteAt(t, h) != '.' || !jwtHeader(t[i:h]) {
		return 0
	}
	if e := jweEnd(t, h); e > 0 {
		return e
	}
	p := run(t, h+1, cB64URL)
	if p-(h+1) < 2 || byteAt(t, p) != '.' {
		return 0
	}
	s := run(t, p+1, cB64URL)
	if s == p+1 {
		return p
	}
	return s
}

// jweEnd returns the end of the four segments of a JWE after its header,
// which ends at h: ".key.iv.ciphertext.tag", the key possibly empty; or 0.
func jweEnd(t string, h int) int {
	e := run(t, h+1, cB64URL) // the encrypted key
	for n := 0; n < 3; n++ {  // IV, ciphertext, tag: not empty
		if byteAt(t, e) != '.' {
			return 0
		}
		s := run(t, e+1, cB64URL)
		if s == e+1 {
			return 0
		}
		e = s
	}
	return e
}

// jwtHeader decodes (a prefix of) a JWT header without allocating.
func jwtHeader(seg string) bool {
	const maxEnc = 512 // enough to reach "alg" in any real header
	if len(seg) > maxEnc {
		seg = seg[:maxEnc]
	} else if len(seg)%4 == 1 {
		return false
	}
	var src [maxEnc]byte
	var buf [maxEnc / 4 * 3]byte
	n, err := base64.RawURLEncoding.Decode(buf[:], src[:copy(src[:], seg)])
	if err != nil {
		return false
	}
	js := bytes.TrimLeft(buf[:n], " \t\r\n")
	return len(js) > 0 && js[0] == '{' && bytes.Contains(js, []byte(`"alg"`))
}
