package sanitize

import (
	"strings"
	"unicode/utf8"

	"github.com/DataDog/go-sqllexer"
)

// obfuscator replaces literal tokens (numbers, strings, dollar-quoted strings
// and bodies) with "?". Its configuration is read-only after construction and
// ObfuscateTokenValue keeps no state, so one value is shared by all callers.
var obfuscator = sqllexer.NewObfuscator()

// Lexer options, built once. Their type is unexported by sqllexer, so they
// are kept as separate variables.
var (
	optMySQL     = sqllexer.WithDBMS(sqllexer.DBMSMySQL)
	optPostgres  = sqllexer.WithDBMS(sqllexer.DBMSPostgres)
	optSQLServer = sqllexer.WithDBMS(sqllexer.DBMSSQLServer)
	optOracle    = sqllexer.WithDBMS(sqllexer.DBMSOracle)
	optDB2       = sqllexer.WithDBMS(sqllexer.DBMSDB2)
	optSnowflake = sqllexer.WithDBMS(sqllexer.DBMSSnowflake)
)

// dialect selects how the lexer reads quotes, comments and parameters.
type dialect uint8

const (
	dialectUnknown dialect = iota
	dialectMySQL
	dialectPostgres
	dialectSQLServer
	dialectOracle
	dialectStandard // no backslash escapes; "..." are identifiers (Db2, SQLite)
	dialectSnowflake
)

// systems maps db.system.name values (current and deprecated OpenTelemetry
// spellings, plus sqllexer's own names) to dialects.
var systems = map[string]dialect{
	"mysql":                dialectMySQL,
	"mariadb":              dialectMySQL,
	"tidb":                 dialectMySQL,
	"postgresql":           dialectPostgres,
	"postgres":             dialectPostgres,
	"cockroachdb":          dialectPostgres,
	"microsoft.sql_server": dialectSQLServer,
	"mssql":                dialectSQLServer,
	"sqlserver":            dialectSQLServer,
	"sql-server":           dialectSQLServer,
	"oracle.db":            dialectOracle,
	"oracle":               dialectOracle,
	"ibm.db2":              dialectStandard,
	"db2":                  dialectStandard,
	"ibm_db2":              dialectStandard,
	"sqlite":               dialectStandard,
	"snowflake":            dialectSnowflake,
}

// SQL returns q with every literal replaced by "?". It is SQLFor with an
// unknown database system: see there.
func SQL(q string) string { return SQLFor("", q) }

// SQLFor returns the statement q, written for the database system named by
// system (an OpenTelemetry db.system.name value such as "postgresql",
// "mysql", "mariadb", "microsoft.sql_server", "oracle.db", "ibm.db2",
// "sqlite"; case-insensitive), with every literal replaced by "?". A Redis
// command that carries a password (AUTH, HELLO, MIGRATE, CONFIG SET, ACL
// SETUSER), as Redis instrumentation records it in the same attribute, keeps
// only its name and a "?".
//
// Strings, numbers (including hex, octal and binary forms), dollar-quoted
// strings and function bodies, and unterminated literals become "?";
// comments of every form are removed (they often carry request data); keywords,
// identifiers, operators and bind parameters ($1, ?, :name, @name) are kept.
//
// When system is empty or unknown the dialect is guessed conservatively:
// double-quoted text in a value position (after an operator, LIKE, BETWEEN,
// THEN, ELSE, or inside IN (...) and VALUES (...)) is treated as a MySQL string
// literal, and a statement whose literal boundaries depend on whether
// backslash escapes quotes (MySQL) or not (standard SQL) is replaced by
// [SQLMarker]. Statements longer than [MaxLen] are replaced by [SQLMarker].
// Invalid UTF-8 that survives is replaced by U+FFFD.
func SQLFor(system, q string) string {
	if len(q) > MaxLen {
		return SQLMarker
	}
	d, ok := systems[system]
	if !ok {
		d = systems[strings.ToLower(system)]
	}
	if c, ok := redisCredential(q); ok {
		return c
	}
	if strings.IndexByte(q, 0) >= 0 {
		// The lexer reads NUL as end of input; keep the text after it lexable.
		q = strings.ReplaceAll(q, "\x00", " ")
	}
	loose := d == dialectUnknown || strings.EqualFold(system, "sqlite")
	if d == dialectUnknown && strings.IndexByte(q, '\\') >= 0 {
		a, okA := obfuscate(q, dialectUnknown, loose)
		b, okB := obfuscate(q, dialectStandard, loose)
		if !okA || !okB || a != b {
			return SQLMarker
		}
		return a
	}
	out, ok := obfuscate(q, d, loose)
	if !ok {
		return SQLMarker
	}
	if d == dialectMySQL && out != q && strings.IndexByte(out, '.') >= 0 {
		// The MySQL lexer joins "a . b" into "a.b", and does so differently
		// once comments are removed or identifiers cut. One more pass reaches
		// the fixed point, so that SQLFor is idempotent.
		if out, ok = obfuscate(out, d, loose); !ok {
			return SQLMarker
		}
	}
	return out
}

// redisCredential reports whether q is a Redis command that carries a
// password, as Redis instrumentation records db.query.text: AUTH, HELLO
// (… AUTH user pass), MIGRATE (… AUTH pass), CONFIG SET (requirepass,
// masterauth), ACL SETUSER (>pass). No SQL statement starts so. It returns
// the command name with its arguments replaced by a "?".
func redisCredential(q string) (string, bool) {
	cmd, rest := firstWord(q)
	if len(cmd) < 3 || len(cmd) > 7 {
		return "", false // the common case: no SQL statement starts so
	}
	sub, _ := firstWord(rest)
	switch {
	case sub == "":
		return "", false
	case strings.EqualFold(cmd, "AUTH") || strings.EqualFold(cmd, "HELLO") || strings.EqualFold(cmd, "MIGRATE"):
		return strings.ToUpper(cmd) + " ?", true
	case (strings.EqualFold(cmd, "CONFIG") && strings.EqualFold(sub, "SET")) || (strings.EqualFold(cmd, "ACL") && strings.EqualFold(sub, "SETUSER")):
		return strings.ToUpper(cmd) + " " + strings.ToUpper(sub) + " ?", true
	}
	return "", false
}

// firstWord returns the first run of bytes of s that are not blanks, and
// what follows it.
func firstWord(s string) (word, rest string) {
	i := 0
	for i < len(s) && blank(s[i]) {
		i++
	}
	j := i
	for j < len(s) && !blank(s[j]) {
		j++
	}
	return s[i:j], s[j:]
}

// blank reports whether c separates SQL tokens as the lexer's blanks do.
func blank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func newLexer(q string, d dialect) *sqllexer.Lexer {
	switch d {
	case dialectMySQL:
		return sqllexer.New(q, optMySQL)
	case dialectPostgres:
		return sqllexer.New(q, optPostgres)
	case dialectSQLServer:
		return sqllexer.New(q, optSQLServer)
	case dialectOracle:
		return sqllexer.New(q, optOracle)
	case dialectStandard:
		return sqllexer.New(q, optDB2)
	case dialectSnowflake:
		return sqllexer.New(q, optSnowflake)
	}
	return sqllexer.New(q)
}

// tokenizer wraps the lexer to split tokens the lexer joins too eagerly:
// see cut. A split token is returned shortened and lexing restarts where the
// rest of it begins.
type tokenizer struct {
	q      string
	d      dialect
	lx     *sqllexer.Lexer
	off    int  // offset in q just after the last token; -1 once unknown
	quoted bool // the last token was cut just before a '"'
}

func newTokenizer(q string, d dialect) tokenizer {
	return tokenizer{q: q, d: d, lx: newLexer(q, d)}
}

// next returns the next token, EOF at the end. ok is false when a token must
// be cut but its place in the input is unknown.
func (t *tokenizer) next() (tok *sqllexer.Token, ok bool) {
	tok = t.lx.Scan()
	q, start := t.q, t.off
	end := -1 // where tok ends in q, when known
	if start >= 0 {
		if n := len(tok.Value); start+n <= len(q) && q[start:start+n] == tok.Value {
			end = start + n
		} else {
			end = compactedEnd(q, start, tok.Value) // MySQL: "a . b" read as "a.b"
		}
		t.off = end
		if end <= 0 && len(tok.Value) > 0 {
			t.off = -1
		}
	}
	t.quoted = false
	if i := cut(tok, t.d); i > 0 {
		if end < 0 {
			return tok, false
		}
		t.quoted = tok.Value[i] == '"'
		rest := start + i // where the rest of tok begins in q
		if end-start != len(tok.Value) {
			rest = compactedEnd(q, start, tok.Value[:i])
		}
		tok.Value = tok.Value[:i]
		t.q = q[rest:]
		t.lx, t.off = newLexer(t.q, t.d), 0
	} else if end > 0 && t.d == dialectMySQL && (tok.Type == sqllexer.IDENT || tok.Type == sqllexer.QUOTED_IDENT ||
		tok.Type == sqllexer.FUNCTION) && strings.IndexByte(tok.Value, '.') >= 0 {
		// MySQL's lexer joins qualified names across blanks ("a . b" as
		// "a.b", "a. *" as "a." and "*"), and may go on from inside
		// what it joined or past blanks it dropped: lexing restarts
		// where the name ends in the input.
		t.q = q[end:]
		t.lx, t.off = newLexer(t.q, t.d), 0
	}
	if t.d == dialectOracle && tok.Type == sqllexer.IDENT && t.off > 0 &&
		(strings.EqualFold(tok.Value, "q") || strings.EqualFold(tok.Value, "nq")) {
		t.oracleQuote(tok, start)
	}
	return tok, true
}

// compactedEnd returns where the token value v ends in q when it is q's
// text from off with the blanks outside backquotes left out, as MySQL's
// lexer compacts "a . b" into "a.b"; otherwise 0.
func compactedEnd(q string, off int, v string) int {
	j, quoted := off, false
	for k := 0; k < len(v); k++ {
		for !quoted && j < len(q) && blank(q[j]) {
			j++
		}
		if j >= len(q) || q[j] != v[k] {
			return 0
		}
		if v[k] == '`' {
			quoted = !quoted
		}
		j++
	}
	return j
}

// oracleQuote turns tok, an identifier q or nq just read at start, into a
// STRING token when it opens an Oracle alternative-quoting literal such as
// q'[it's]' (which the lexer does not know), and restarts lexing after it.
// An unterminated one becomes an ERROR token running to the end.
func (t *tokenizer) oracleQuote(tok *sqllexer.Token, start int) {
	if t.off+1 >= len(t.q) || t.q[t.off] != '\'' {
		return
	}
	closing := t.q[t.off+1]
	switch closing {
	case '[':
		closing = ']'
	case '(':
		closing = ')'
	case '{':
		closing = '}'
	case '<':
		closing = '>'
	}
	end := len(t.q)
	tok.Type = sqllexer.ERROR
	for i := t.off + 2; i+1 < len(t.q); i++ {
		if t.q[i] == closing && t.q[i+1] == '\'' {
			end, tok.Type = i+2, sqllexer.STRING
			break
		}
	}
	tok.Value = t.q[start:end]
	t.q = t.q[end:]
	t.lx, t.off = newLexer(t.q, t.d), 0
}

// obfuscate lexes q and writes every token back, replacing literals. ok is
// false when the statement has to be replaced by the marker. A number glued
// to letters (0b1010, 1_000, 0xFFG) is one literal.
func obfuscate(q string, d dialect, loose bool) (string, bool) {
	var b strings.Builder
	b.Grow(len(q))
	t := newTokenizer(q, d)
	var ctx valueContext
	afterNumber := false // the previous token was a number literal
	quoted := false      // the previous token was cut just before a '"'
	// placeholder: the last thing written is a "?" replacing a literal. The
	// lexer reads "?" and the operator characters after it as one operator
	// ("?@0" is "?@" and 0; "?&" is a JSON operator), so a kept token that
	// starts with one is separated by a space to lex the same way next time.
	placeholder := false
	var prev sqllexer.TokenType // the type of the previous token, SPACE included
	for {
		tok, ok := t.next()
		if !ok {
			return "", false
		}
		if tok.Type == sqllexer.EOF {
			break
		}
		glued, intro, param := afterNumber, quoted, prev == sqllexer.POSITIONAL_PARAMETER || prev == sqllexer.BIND_PARAMETER
		afterNumber, quoted, prev = false, t.quoted, tok.Type
		switch tok.Type {
		case sqllexer.SPACE:
			b.WriteString(tok.Value)
			placeholder = false
			continue
		case sqllexer.COMMENT, sqllexer.MULTILINE_COMMENT:
			b.WriteByte(' ') // keep the neighbours apart
			placeholder = false
			continue
		case sqllexer.ERROR:
			// An unterminated quoted identifier, comment or dollar-quoted
			// string: the token runs to the end of the input.
			b.WriteByte('?')
			placeholder = true
			ctx.update(tok)
			continue
		case sqllexer.NUMBER:
			if !glued {
				b.WriteByte('?')
				placeholder = true
			}
			afterNumber = true
			ctx.update(tok)
			continue
		case sqllexer.IDENT, sqllexer.FUNCTION:
			if glued {
				afterNumber = !t.quoted
				continue
			}
		case sqllexer.QUOTED_IDENT:
			// _utf8mb4"text", N"text": a quote glued to a word is a string;
			// so is one glued to a "?" (a placeholder written by an earlier
			// pass, which lexes as part of the word before it) or to a
			// parameter ($0"x": once a "?" precedes it, "?$0" lexes as a word).
			if loose && (intro || param || strings.HasSuffix(b.String(), "?") || ctx.valuePosition()) {
				b.WriteByte('?')
				placeholder = true
				ctx.update(tok)
				continue
			}
		}
		ctx.update(tok)
		kind := tok.Type
		obfuscator.ObfuscateTokenValue(tok, nil)
		if v := tok.Value; placeholder && v != "" && (strings.IndexByte(operatorChars, v[0]) >= 0 || v[0] == '.') {
			// Glued to the "?", an operator would lex as one with it, and
			// a '.' as part of a word with the word before the "?".
			b.WriteByte(' ')
		}
		b.WriteString(tok.Value)
		placeholder = tok.Value == "?" && kind != sqllexer.OPERATOR
	}
	out := strings.TrimSpace(b.String())
	if !utf8.ValidString(out) {
		out = strings.ToValidUTF8(out, "\uFFFD")
	}
	return out, true
}

// operatorChars are the bytes the lexer joins into one operator token.
const operatorChars = "+-*/=<>!&|^%~?@:#"

// cut returns the index in an identifier or operator token where a comment
// or a quoted token starts, or -1. The lexer accepts '/', '"' and '#' inside
// identifiers and "--" or "/*" inside operator runs ("=--", "+/*"), so
// without this "a/*c*/", "x =-- c" or MySQL's _utf8mb4"text" would keep
// the comment or string as identifier text.
func cut(tok *sqllexer.Token, d dialect) int {
	switch tok.Type {
	case sqllexer.IDENT, sqllexer.FUNCTION, sqllexer.OPERATOR:
	default:
		return -1
	}
	v := tok.Value
	for i := 1; i < len(v); i++ {
		switch c := v[i]; {
		case c == '#' && d == dialectMySQL:
			return i
		case tok.Type == sqllexer.OPERATOR:
			if c == '-' && v[i-1] == '-' || c == '*' && v[i-1] == '/' {
				return i - 1
			}
		case c == '/' || c == '"':
			return i
		}
	}
	return -1
}

// valueContext remembers enough of the previous tokens to tell whether a
// double-quoted token stands where a value would: MySQL reads "..." as a
// string there, standard SQL as an identifier.
type valueContext struct {
	prevType  sqllexer.TokenType
	prevValue string
	depth     int
	groups    uint64 // bit i set: paren depth i was opened by IN or VALUES
}

func (c *valueContext) update(tok *sqllexer.Token) {
	if tok.Type == sqllexer.PUNCTUATION {
		switch tok.Value {
		case "(":
			c.depth++
			if c.depth < 64 && (strings.EqualFold(c.prevValue, "IN") || strings.EqualFold(c.prevValue, "VALUES")) {
				c.groups |= 1 << c.depth
			}
		case ")":
			if c.depth > 0 {
				if c.depth < 64 {
					c.groups &^= 1 << c.depth
				}
				c.depth--
			}
		}
	}
	c.prevType, c.prevValue = tok.Type, tok.Value
}

func (c *valueContext) valuePosition() bool {
	if c.groups != 0 {
		return true
	}
	switch c.prevType {
	case sqllexer.OPERATOR:
		// A lone "?" (or a run containing one) is a placeholder written by an
		// earlier pass; treating it as an operator would make SQL not idempotent.
		return strings.IndexByte(c.prevValue, '?') < 0
	case sqllexer.KEYWORD, sqllexer.IDENT:
		for _, w := range [...]string{"LIKE", "ILIKE", "BETWEEN", "THEN", "ELSE"} {
			if strings.EqualFold(c.prevValue, w) {
				return true
			}
		}
	}
	return false
}
