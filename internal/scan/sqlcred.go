package scan

import "strings"

// sqlPassword handles the word t[i:w] when it is PASSWORD or IDENTIFIED (any
// case) introducing a literal, as SQL sets a password and as error messages
// that echo a statement, or prose, show one:
//
//	CREATE USER bob WITH PASSWORD 'x'      ALTER ROLE bob PASSWORD "x"
//	ALTER USER bob IDENTIFIED BY 'x'       CREATE USER bob IDENTIFIED BY x
//	SET PASSWORD = PASSWORD('x')           invalid password 'x'
//
// The literal (without its quotes) is a GenericSecret. A key of a pair
// ("password": "x", password='x') is keyValue's. It returns where scanning
// resumes, or 0 when the word introduces no literal.
func (st *state) sqlPassword(t string, i, w int) int {
	if !st.set.Has(GenericSecret) || (i > 0 && (t[i-1] == '"' || t[i-1] == '\'')) {
		return 0
	}
	v := w
	bare := false // an unquoted literal is taken after IDENTIFIED BY only
	switch {
	case w-i == 8 && strings.EqualFold(t[i:w], "password"):
		if byteAt(t, v) == '(' {
			v++
		}
	case w-i == 10 && strings.EqualFold(t[i:w], "identified"):
		v = blanks(t, v)
		if v == w || v+2 > len(t) || !strings.EqualFold(t[v:v+2], "by") {
			return 0
		}
		v += 2
		bare = true
	default:
		return 0
	}
	if b := blanks(t, v); b > v || byteAt(t, v-1) == '(' {
		v = b
	} else {
		return 0 // "passwords", "password=" (keyValue), "password:"
	}
	q := byteAt(t, v)
	if q != '\'' && q != '"' && !(bare && is(t, v, cWord)) {
		return 0
	}
	vs, ve, next, _ := value(t, v)
	if ve <= vs || placeholder(t[vs:ve]) || (bare && nullish(t[vs:ve])) {
		return 0
	}
	if st.emit(vs, ve, GenericSecret) {
		return next
	}
	return 0
}

// blanks returns the index after at most three spaces or tabs from i.
func blanks(t string, i int) int {
	for sp := 0; sp < 3 && i < len(t) && (t[i] == ' ' || t[i] == '\t'); sp++ {
		i++
	}
	return i
}
