package scan

import "strings"

// flag handles a command-line option at i, with one or two leading dashes
// ("-password" as Go's flag package writes it, "--password"), whose value
// is the next word, "--password hunter2", or the next quoted argument of a
// quoted list, "--password" "hunter2" (with '=' the key=value detector sees
// it): when the option's name is secret-like, the value is matched as
// keyValue would match it. It returns where scanning resumes.
func (st *state) flag(i, dashes int) int {
	t := st.text
	ks := i + dashes // the option's name
	if !optionStart(t, i) {
		return ks
	}
	ke := run(t, ks, cKey)
	if ke-ks > maxKey || st.set&kvKinds == 0 {
		return ks
	}
	v := ke + 1 // --password hunter2
	if q := byteAt(t, i-1); q == '"' || q == '\'' {
		// A quoted argument list: "--password" "hunter2", ["--password", "hunter2"].
		if byteAt(t, ke) != q {
			return ks
		}
		v = ke + 1
		if byteAt(t, v) == ',' {
			v++
		}
		for sp := 0; sp < 3 && is(t, v, cSpace); sp++ {
			v++
		}
		if byteAt(t, v) != q {
			return ks
		}
	} else if byteAt(t, ke) != ' ' {
		return ks
	}
	strength, _, aws := secretKey(t[ks:ke])
	if strength == none {
		return ks
	}
	vs, ve, next, quoted := value(t, v)
	if ve <= vs || (!quoted && t[vs] == '-') || strings.HasPrefix(t[vs:ve], "--") {
		return ks // no value, or the next option
	}
	kind, ok := flagValueKind(t[vs:ve], strength, aws)
	if ok && (st.emit(vs, ve, kind) || st.emit(vs, ve, GenericSecret)) {
		return next
	}
	return ks
}

// flagValueKind reports whether val, the value of an option whose name has
// the given strength, is a secret, and of which kind.
func flagValueKind(val string, strength int, aws bool) (Kind, bool) {
	if placeholder(val) || nullish(val) || (strength == weak && len(val) <= maxValue && !randomLooking(val)) {
		return 0, false
	}
	if s, e, pk := prefixed(val, 0); s == 0 && e == len(val) {
		return pk, true
	}
	if aws && len(val) == 40 && run(val, 0, cB64) == 40 {
		return AWSSecretKey, true
	}
	return GenericSecret, true
}

// FlagValue reports whether value, which follows the argument flag in a list
// of command-line arguments (as in exec.Cmd.Args), is a secret: flag is an
// option with one or two leading dashes, a secret-like name and no value of
// its own ("-password", "--api-key"), and value is not another option, empty
// or a placeholder. It returns the kind to report, which is in the scanner's
// set.
func (s *Scanner) FlagValue(flag, value string) (Kind, bool) {
	ks := 1
	if strings.HasPrefix(flag, "--") {
		ks = 2
	}
	if s == nil || s.set&kvKinds == 0 || len(flag) < ks+2 || flag[0] != '-' ||
		!is(flag, ks, cUpper|cLower) || run(flag, ks, cKey) != len(flag) || len(flag)-ks > maxKey ||
		value == "" || value[0] == '-' {
		return 0, false
	}
	strength, _, aws := secretKey(flag[ks:])
	if strength == none {
		return 0, false
	}
	k, ok := flagValueKind(value, strength, aws)
	if !ok {
		return 0, false
	}
	if !s.set.Has(k) {
		k = GenericSecret
	}
	return k, s.set.Has(k)
}
