package scan

import "net/netip"

// ipv4End recognizes a dotted-quad IPv4 address at i and returns its end, or
// 0. Octets are 1–3 digits, at most 255, without a leading zero ("010" is
// ambiguous: octal to some parsers). The quad must stand alone: not preceded
// by '.' or a word byte ("v1.2.3.4", "go1.22.1.1"), not followed by a word
// byte, by '.' and an alphanumeric (a fifth component, "1.2.3.4.5"), or by
// '-' and a letter (a pre-release tag, "1.2.3.4-beta"): those are versions.
// The unspecified (0.0.0.0), loopback (127/8) and broadcast addresses are not
// matched: they identify no one.
func ipv4End(t string, i int) int {
	if byteAt(t, i-1) == '.' || wordBefore(t, i) {
		return 0
	}
	var oct [4]int
	j := i
	for k := range oct {
		if k > 0 {
			if byteAt(t, j) != '.' {
				return 0
			}
			j++
		}
		e := runMax(t, j, cDigit, 4)
		l := e - j
		if l == 0 || l > 3 || (l > 1 && t[j] == '0') {
			return 0
		}
		v := 0
		for ; j < e; j++ {
			v = v*10 + int(t[j]-'0')
		}
		if v > 255 {
			return 0
		}
		oct[k] = v
	}
	switch c := byteAt(t, j); {
	case is(t, j, cWord):
		return 0
	case c == '.' && is(t, j+1, cAlnum):
		return 0
	case c == '-' && is(t, j+1, cUpper|cLower):
		return 0
	}
	if oct == [4]int{} || oct[0] == 127 || oct == [4]int{255, 255, 255, 255} {
		return 0
	}
	return j
}

// ipv6 handles an IPv6 candidate at i, which starts with a hex digit or "::".
// The candidate is the run of hex digits, ':' and '.' (at most 45 bytes), with
// a trailing '.' or single ':' (punctuation) left out. It must not touch a word
// byte on either side, have the shape of an IPv6 address (see v6Shape), and
// parse with net/netip; the unspecified and loopback addresses are not matched.
// A zone ("%eth0") is not part of the span.
//
// Its text t is Scan's text, passed in rather than read from st: net/netip
// keeps the text it parses, and escape analysis would otherwise let every
// field of st escape, Scan's dst with them.
func (st *state) ipv6(t string, i int) int {
	if !v6Start(t, i) {
		return 0
	}
	e := runMax(t, i, cV6, 46)
	if e-i > 45 {
		return 0
	}
	for e > i && t[e-1] == '.' {
		e--
	}
	if e-i >= 2 && t[e-1] == ':' && t[e-2] != ':' {
		e--
	}
	if is(t, e, cWord) || !v6Shape(t[i:e]) {
		return 0
	}
	a, err := netip.ParseAddr(t[i:e])
	if err != nil || !a.Is6() || a.IsUnspecified() || a.IsLoopback() {
		return 0
	}
	if !st.emit(i, e, IPv6) {
		return 0
	}
	return e
}

// v6Shape is a cheap structural check run before net/netip (whose errors
// allocate): 8 groups of 1–4 hex digits, or fewer with exactly one "::"; an
// optional dotted IPv4 tail; and at least one group of 3+ digits or an IPv4
// tail, so times (12:30:45) and MAC-like ids (de:ad:be:ef:00:01:02:03) are not
// addresses.
func v6Shape(s string) bool {
	groups, long, dbl, v4 := 0, false, false, false
	for j := 0; j < len(s); {
		if s[j] == ':' {
			if j+1 < len(s) && s[j+1] == ':' {
				if dbl {
					return false
				}
				dbl = true
				j += 2
				continue
			}
			if j == 0 || j == len(s)-1 {
				return false
			}
			j++
			continue
		}
		e := j
		for e < len(s) && s[e] != ':' {
			e++
		}
		g := s[j:e]
		for k := 0; k < len(g); k++ {
			if g[k] == '.' {
				v4 = true
			}
		}
		if v4 {
			if e != len(s) || len(g) < 7 {
				return false
			}
			groups += 2
		} else {
			if len(g) > 4 {
				return false
			}
			if len(g) >= 3 {
				long = true
			}
			groups++
		}
		j = e
	}
	if !long && !v4 {
		return false
	}
	if dbl {
		return groups < 8
	}
	return groups == 8
}

// colon handles a ':' at i: a URL authority ("scheme://user:pass@"), an IPv6
// address that starts with "::", or a "key: value" pair.
func (st *state) colon(t string, i int) int {
	if byteAt(t, i+1) == '/' && byteAt(t, i+2) == '/' {
		if e := st.urlCred(i); e > 0 {
			return e
		}
		return i + 3
	}
	if byteAt(t, i+1) == ':' && st.set.Has(IPv6) {
		if e := st.ipv6(t, i); e > 0 {
			return e
		}
	}
	return st.keyValue(i)
}
