package scan

import "strings"

// proseSecret handles the word t[i:w] when it names a secret in a sentence
// and the next word is its value, as error messages write them:
//
//	invalid token Zq8xW2vR7tY4uI0pL3kJ9hG6   rejected api key "k3Jd8s9QxZ2vfL0p"
//	using client secret q8Xw2VbR7tY4uI0pWm   password is Pa55w0rd-Zx81Qv7Lm
//
// The word is token, secret, password, passwd, passphrase, apikey,
// credential or credentials, or key after api, access, secret, private,
// client or signing; "is" or "was" may come between it and the value. The
// value must look random (letters and digits with high entropy, see
// randomLooking) and be 16 bytes or longer: the next word of a sentence is
// mostly a word, a quoted one often a name (secret "db-creds-2024"). After token and key a run of hex digits and
// dashes is a digest or an id (as everywhere else), not taken. A key of a
// pair (token=x, "token": "x") is keyValue's. It returns where scanning
// resumes, or 0.
func (st *state) proseSecret(t string, i, w int) int {
	weak, pass := false, false
	switch word := t[i:w]; len(word) {
	case 3:
		if !foldIs(word, "key") || !keyQualified(t, i) {
			return 0
		}
		weak = true
	case 5:
		if !foldIs(word, "token") {
			return 0
		}
		weak = true
	case 6:
		pass = foldIs(word, "passwd")
		if !pass && !foldIs(word, "secret") && !foldIs(word, "apikey") {
			return 0
		}
	case 8:
		if !foldIs(word, "password") {
			return 0
		}
		pass = true
	case 10:
		pass = foldIs(word, "passphrase")
		if !pass && !foldIs(word, "credential") {
			return 0
		}
	case 11:
		if !foldIs(word, "credentials") {
			return 0
		}
	default:
		return 0
	}
	if byteAt(t, w) != ' ' || !st.set.Has(GenericSecret) || (i > 0 && (t[i-1] == '"' || t[i-1] == '\'' || t[i-1] == '-' || t[i-1] == '_')) {
		return 0
	}
	v := w + 1
	v += connector(t[v:])
	vs, ve, next, quoted := value(t, v)
	val := t[vs:ve]
	if !quoted {
		val = strings.TrimRight(val, ".,;:")
		ve = vs + len(val)
		next = ve
	}
	if pass && netrcLogin(t, i) {
		// .netrc's "machine h login bob password x": any value is one.
		if val == "" || NoValue(val) {
			return 0
		}
	} else {
		if len(val) < 16 && !pass {
			return 0 // a sentence's next word, or a name: secret "db-creds-2024" not found
		}
		// A password's value needs only look random (8+ bytes, letters
		// and digits): "password s3cr3tPassw0rd", "password reset".
		if !randomLooking(val) || placeholder(val) || (weak && hexID(val)) {
			return 0
		}
	}
	if _, e, _ := prefixed(val, 0); e > 0 || strings.HasPrefix(val, "eyJ") || (len(val) == 40 && val[4:6] == "Q~") {
		return 0 // a vendor token, a JWT or an Azure AD secret: the scan finds it under its own kind
	}
	if st.emit(vs, ve, GenericSecret) {
		return next
	}
	return 0
}

// connector returns the length of the words that may stand between a
// secret's name and its value at the start of s: "is ", "was ", "set to ",
// "changed to ", "reset to ", "updated to " (any case); 0 if none.
func connector(s string) int {
	for _, c := range [...]string{"is ", "was ", "set to ", "changed to ", "reset to ", "updated to "} {
		if len(s) > len(c) && foldIs(s[:len(c)], c) {
			return len(c)
		}
	}
	return 0
}

// netrcLogin reports whether the word at i (password) ends a .netrc
// entry's "machine <host> login <user> ", on one line or several.
func netrcLogin(t string, i int) bool {
	ws, we := prevWord(t, i)  // the user
	ls, le := prevWord(t, ws) // login
	hs, _ := prevWord(t, ls)  // the host
	ms, me := prevWord(t, hs) // machine
	return we > ws && foldIs(t[ls:le], "login") && hs < ls && foldIs(t[ms:me], "machine")
}

// prevWord returns the word that ends before the blanks before i.
func prevWord(t string, i int) (start, end int) {
	end = i
	for end > 0 && (t[end-1] == ' ' || t[end-1] == '\t' || t[end-1] == '\n' || t[end-1] == '\r') {
		end--
	}
	start = end
	for start > 0 && end-start < maxKey && t[start-1] != ' ' && t[start-1] != '\t' && t[start-1] != '\n' && t[start-1] != '\r' {
		start--
	}
	return start, end
}

// keyQualified reports whether the word before the word "key" at i makes it
// a secret's name: "api key", "access key", "secret key", "private key",
// "client key", "signing key" (one blank between).
func keyQualified(t string, i int) bool {
	if i < 2 || t[i-1] != ' ' {
		return false
	}
	s := i - 1
	for s > 0 && cls[t[s-1]]&(cUpper|cLower) != 0 {
		s--
	}
	switch prev := t[s : i-1]; len(prev) {
	case 3:
		return foldIs(prev, "api")
	case 6:
		return foldIs(prev, "access") || foldIs(prev, "secret") || foldIs(prev, "client")
	case 7:
		return foldIs(prev, "private") || foldIs(prev, "signing")
	}
	return false
}

// hexID reports whether v is hex digits and dashes only: a digest, a UUID.
func hexID(v string) bool {
	for j := 0; j < len(v); j++ {
		if cls[v[j]]&cHex == 0 && v[j] != '-' {
			return false
		}
	}
	return true
}

// foldIs reports whether s is word, a lower-case ASCII word of the same
// length (and blanks), in any case: OR-ing 0x20 folds upper to lower case
// and turns no other byte into a lower-case letter or a blank.
func foldIs(s, word string) bool {
	if len(s) != len(word) {
		return false
	}
	for j := 0; j < len(s); j++ {
		if s[j]|0x20 != word[j] {
			return false
		}
	}
	return true
}

// proseWord is word for a word that only proseSecret looks at (see
// prosePairs), and for passwd, password and passphrase.
func (st *state) proseWord(t string, i, w int) int {
	if w-i < 16 && proseLen[w-i] {
		if e := st.proseSecret(t, i, w); e > 0 {
			return e
		}
	}
	return w
}

// proseLen marks the lengths of the words proseSecret looks at.
var proseLen = [16]bool{3: true, 5: true, 6: true, 8: true, 10: true, 11: true}
