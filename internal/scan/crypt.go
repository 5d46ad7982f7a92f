package scan

// cryptIDs are the scheme identifiers of password hashes in the modular
// crypt format, "$<id>$…", as crypt(3), passlib and PHC strings write them:
// md5-crypt, bcrypt, sha256/512-crypt, yescrypt, Argon2, scrypt, PBKDF2.
var cryptIDs = [...]string{
	"1", "apr1", "md5", "2a", "2b", "2x", "2y", "5", "6", "7", "y", "gy", "sha1",
	"argon2i", "argon2d", "argon2id", "scrypt", "pbkdf2", "pbkdf2-sha1", "pbkdf2-sha256",
	"pbkdf2-sha512", "bcrypt-sha256",
}

// djangoHashers are the algorithm names Django writes before a password
// hash, with no '$' before them: "pbkdf2_sha256$600000$<salt>$<hash>".
var djangoHashers = [...]string{"pbkdf2_sha256", "pbkdf2_sha1", "argon2", "bcrypt_sha256", "bcrypt", "scrypt"}

// minHashField is the length of a hash's last field (the digest) below which
// '$'-separated fields are not a password hash: md5-crypt's digest, the
// shortest, is 22 bytes.
const minHashField = 20

// cryptHash matches a password hash at i, a '$': a scheme of cryptIDs between
// two '$' ("$2b$12$…", "$argon2id$v=19$m=65536,t=3,p=4$…$…"), or a '$'
// after one of djangoHashers; then two or more fields of cCrypt bytes
// joined by '$', the last one minHashField bytes or more and not followed
// by '_' (the only word byte that is no cCrypt byte). The whole hash
// is the match: cost, parameters and salt say little, but a hash with its
// salt can be cracked offline. It returns where scanning resumes.
func (st *state) cryptHash(i int) int {
	t := st.text
	if i < st.cryptEnd || !st.set.Has(PasswordHash) {
		return i + 1 // inside fields already read ("$1$1$1…"), or off
	}
	start, f := -1, 0 // f: the first field after the scheme
	if i > 0 && cls[t[i-1]]&cWord != 0 {
		for _, a := range djangoHashers {
			if ws := i - len(a); ws >= 0 && t[ws:i] == a && !is(t, ws-1, cWord) {
				start, f = ws, i+1
				break
			}
		}
	}
	if start < 0 {
		e := i + 1
		for e < len(t) && e-i <= 14 && (cls[t[e]]&(cLower|cDigit) != 0 || t[e] == '-') {
			e++
		}
		if byteAt(t, e) != '$' || !cryptID(t[i+1:e]) {
			return i + 1
		}
		start, f = i, e+1
	}
	fields, last, e := 0, 0, f
	for {
		last = e
		for e < len(t) && cls[t[e]]&cCrypt != 0 {
			e++
		}
		fields++
		if byteAt(t, e) != '$' {
			break
		}
		e++
	}
	if fields >= 2 && e-last >= minHashField && byteAt(t, e) != '_' && st.emit(start, e, PasswordHash) { // not inside a word
		return e
	}
	// A hash starting at a later '$' of these fields would end here too,
	// with the same last field: none does.
	st.cryptEnd = e
	return i + 1
}

func cryptID(s string) bool {
	for _, id := range cryptIDs {
		if s == id {
			return true
		}
	}
	return false
}
