package redact

import (
	"log/slog"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/veilhq/veil/internal/scan"
	"github.com/veilhq/veil/token"
)

// Markers replace values that cannot be inspected. None of them contains any
// part of the value.
const (
	markerDepth    = "[TRUNCATED: too deep]"
	markerRecord   = "[TRUNCATED: record too large]"
	markerLoop     = "[UNAVAILABLE: LogValue loop]"
	markerPanicLV  = "[UNAVAILABLE: LogValue panicked]"
	markerPanicErr = "[UNAVAILABLE: Error panicked]"
	markerPanicStr = "[UNAVAILABLE: String panicked]"
	markerPanicFmt = "[UNAVAILABLE: Format panicked]"
	markerPanicMar = "[UNAVAILABLE: Marshal panicked]"
	markerKey      = "[KEY]"
	omittedKey     = "veil.omitted_attrs"
)

func markerBinary(n int) string { return "[BINARY " + strconv.Itoa(n) + " bytes]" }

func markerUnsupported(kind string) string { return "[UNSUPPORTED " + kind + "]" }

// redactText runs the detectors over s and replaces each matched span. It
// returns s itself, without allocating, when nothing matched. Spans inside
// veil tokens are left alone so that redaction is idempotent.
func (r *Redactor) redactText(st *state, s string) (string, bool) {
	if r.scanner == nil || s == "" {
		return s, false
	}
	// r.scan, with the cache probed here: one call less for the common
	// case, a text seen before.
	k, hit := r.clean.probe(s)
	if hit {
		return s, false
	}
	if !utf8.ValidString(s) {
		return r.redactInvalid(st, s), true
	}
	if ms := r.scanMiss(st, s, k); len(ms) > 0 {
		return r.rewrite(st, s, ms)
	}
	return s, false
}

// redactInvalid is redactText for s that is not valid UTF-8: the detectors
// run over the text a handler emits, each invalid byte replaced by U+FFFD
// (as slog's JSON handler does), and that text is returned, so that what is
// scanned is what is emitted ("sig=\xee0127A" is 6 bytes, too short for a
// secret; "sig=\ufffd0127A" is 8).
func (r *Redactor) redactInvalid(st *state, s string) string {
	v := strings.ToValidUTF8(s, "\uFFFD")
	if ms := r.scan(st, v); len(ms) > 0 {
		if t, ch := r.rewrite(st, v, ms); ch {
			return t
		}
	}
	return v
}

// rewrite replaces the spans ms, found by the scanner in s.
func (r *Redactor) rewrite(st *state, s string, ms []scan.Match) (string, bool) {
	if len(ms) == 1 && ms[0].Start <= 0 && ms[0].End >= len(s) && !inToken(s, 0, len(s)) && !overlapsToken(s, ms[0]) {
		// The whole value is one match (an address, a key): its
		// replacement is the result, with no copy of the rest.
		r.countDetector(st, ms[0].Kind)
		return r.replaceSpan(s, ms[0].Kind), true
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		start, end := m.Start, m.End
		if start < last {
			start = last
		}
		if end > len(s) {
			end = len(s)
		}
		if start >= end || inToken(s, start, end) || overlapsToken(s, m) {
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:start])
		b.WriteString(r.replaceSpan(s[start:end], m.Kind))
		r.countDetector(st, m.Kind)
		last = end
	}
	if last == 0 && b.Len() == 0 {
		return s, false
	}
	b.WriteString(s[last:])
	return b.String(), true
}

// replaceSpan is the replacement of one detector match.
func (r *Redactor) replaceSpan(span string, k scan.Kind) string {
	if int(k) < len(r.detRules) && r.detRules[k] != nil {
		v, _ := r.detRules[k].apply(r, slog.StringValue(span))
		return v.String()
	}
	if k.Class() == scan.Identifier && r.tok != nil {
		if tk := k.TokenKind(); tk != "" {
			return r.tok.Token(tk, span)
		}
	}
	if p := k.Placeholder(); p != "" {
		return p
	}
	if tk := k.TokenKind(); tk != "" {
		return token.Placeholder(tk)
	}
	return Redacted
}

func isBoundary(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == ',' || c == ';'
}

func isTokChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// inToken reports whether s[start:end] lies inside a veil token
// ("tok_<key id>_<26 base32 characters>").
func inToken(s string, start, end int) bool {
	ws := start
	for ws > 0 && isTokChar(s[ws-1]) {
		ws--
	}
	if !strings.HasPrefix(s[ws:], "tok_") {
		return false // every token starts so: the common case ends here
	}
	we := tokenAt(s, ws)
	return we >= 0 && end <= we
}

// tokenAt returns the end of the veil token that starts at p in s, or -1.
// A token's characters may run on ("tok_k1_…-", where an address that
// ended in '-' was tokenized): it ends with its base32 body.
func tokenAt(s string, p int) int {
	if !strings.HasPrefix(s[p:], "tok_") {
		return -1
	}
	i := p + len("tok_")
	for i < len(s) && isTokChar(s[i]) && s[i] != '_' {
		i++ // the key id
	}
	if i == len(s) || s[i] != '_' {
		return -1
	}
	e := i + 1
	for e < len(s) && ('a' <= s[e] && s[e] <= 'z' || '2' <= s[e] && s[e] <= '7') {
		e++
	}
	if !isToken(s[p:e]) {
		return -1
	}
	return e
}

// overlapsToken reports whether a veil token (not glued to a word after
// it: tokenEnds) starts inside the match m: an address whose
// local part is one ("tok_…@example.com"), or whose last domain label a
// token continues ("0@0.tok_k1_…", where the scan read "0.tok" as a
// domain), a credential that is one ("Bearer tok_k1_…-"). An earlier pass
// wrote the token; matching it again would rewrite it.
func overlapsToken(s string, m scan.Match) bool {
	if m.Start < 0 || m.End > len(s) || m.Start >= m.End {
		return false
	}
	lim := min(m.End+len("tok_")-1, len(s)) // a token starting before m.End
	for p := m.Start; p < m.End; {
		k := strings.Index(s[p:lim], "tok_")
		if k < 0 {
			return false
		}
		p += k
		// A token starts a word, or follows a dash ("-tok_…@0.AA": an
		// address after a dash was tokenized).
		if te := tokenAt(s, p); te >= 0 && (p == 0 || !isTokChar(s[p-1]) || s[p-1] == '-') && (tokenEnds(s, te) || outside(s, m, p, te) < minGlued) {
			return true
		}
		p++
	}
	return false
}

// minGlued is the fewest letters and digits that, glued to a token inside a
// match, make the match more than an earlier pass's output: "Bearer
// tok_k1_….0" (an address "A@0.AA.0" whose domain ended before ".0" was
// tokenized) is that output; "Bearer tok_k1_…-s3cr3tS3cr3tX9" holds a
// secret of its own.
const minGlued = 8

// outside counts the letters and digits of the match m outside the token
// s[p:te].
func outside(s string, m scan.Match, p, te int) int {
	n := 0
	for i := m.Start; i < m.End; i++ {
		if i == p {
			i = te - 1
			continue
		}
		if c := s[i]; c != '-' && c != '_' && isTokChar(c) {
			n++
		}
	}
	return n
}

// tokenEnds reports whether a token that ends at te is not glued to a
// word after it: dashes or dots may follow it ("Bearer tok_k1_…-"), then no
// letter or digit ("tok_k1_…-s3cr3t" is a token and something else).
func tokenEnds(s string, te int) bool {
	for te < len(s) && (s[te] == '-' || s[te] == '.') {
		te++
	}
	return te == len(s) || !isTokChar(s[te])
}

// isToken reports whether w has the shape of a veil token.
func isToken(w string) bool {
	_, ok := token.ParseToken(w)
	return ok
}

// cutString shortens s to at most max bytes, at a rune boundary and, when
// one is near, at a word boundary so that a value cut in half (a card number,
// a key) is not emitted in part. A note of how much was cut is appended.
func cutString(s string, max int) string {
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	// Back off to the last separator within 1 KiB, dropping the partial
	// word; with none near, drop the trailing run of word characters.
	if !isBoundary(s[i]) {
		j := i
		for j > 0 && i-j < 1024 && !isBoundary(s[j-1]) {
			j--
		}
		if j > 0 && i-j < 1024 {
			i = j
		} else {
			for i > 0 && isTokChar(s[i-1]) {
				i--
			}
		}
	}
	return s[:i] + "…[TRUNCATED " + strconv.Itoa(len(s)-i) + " bytes]"
}

// argValue is the replacement of cur, an element of a list of command-line
// arguments whose first element is cmd, when cur is or holds a secret given
// what comes before it: the value of an option with a secret-like name
// (prev is ["--password"], cur "hunter2") or of an option that carries a
// password for the command cmd (["mysqldump", …, "-pSECRET"]). Each element
// alone shows nothing to the detectors.
func (r *Redactor) argValue(st *state, cmd, prev, cur string) (string, bool) {
	s, e, k, ok := r.scanner.ArgSecret(cmd, prev, cur)
	if !ok {
		return "", false
	}
	r.countDetector(st, k)
	return cur[:s] + r.replaceSpan(cur[s:e], k) + cur[e:], true
}

// argCommand is the command argValue reads element i (cur) of an argument
// list for, cmd being the command so far: the first element, until a
// registry client's "login" subcommand (docker login, helm registry login),
// whose options scan.Scanner.ArgSecret knows as those of "login ".
func argCommand(i int, cmd, cur string) string {
	switch {
	case i == 0:
		return cur
	case cur == "login":
		return "login "
	}
	return cmd
}

// fastString is the fast path of a string value under a plain key, shared
// by walker.fast and owalker.fast: one scan, and the rewritten text when the
// scan found something to replace. It reports fastSlow, having done nothing,
// when s is over a size limit.
func (r *Redactor) fastString(st *state, s string) (string, int) {
	if len(s) > r.lim.MaxString || len(s) > st.budget {
		return "", fastSlow
	}
	if r.scanner != nil && s != "" {
		// r.scan, with the cache probed here: one call less for the
		// common case, a text seen before.
		k, hit := r.clean.probe(s)
		if !hit {
			if !utf8.ValidString(s) {
				return r.charge(st, slog.StringValue(r.redactInvalid(st, s))).String(), fastText
			}
			if ms := r.scanMiss(st, s, k); len(ms) > 0 {
				return r.finishString(st, s, ms)
			}
		}
	}
	st.budget -= len(s)
	return "", fastSame
}

// finishString ends the fast path of s, whose scan found ms: the rewritten
// text (fastText) if a match is replaced, else fastSame.
func (r *Redactor) finishString(st *state, s string, ms []scan.Match) (string, int) {
	if len(ms) > 0 {
		if t, ch := r.rewrite(st, s, ms); ch {
			return r.charge(st, slog.StringValue(t)).String(), fastText
		}
	}
	st.budget -= len(s)
	return "", fastSame
}
