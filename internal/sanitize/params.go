package sanitize

import (
	"strconv"
	"strings"

	"github.com/DataDog/go-sqllexer"
)

// MaxParams is how many bind parameters [SQLParams] tells apart: the first
// 64, $1 to $64 or the first 64 '?'.
const MaxParams = 64

// SQLParams returns the bind parameters of the statement q that stand in the
// place of a column for which secret reports true, as a set: bit i for the
// argument at index i of the list a driver binds ($1 and @p1 are index 0; the
// n-th '?' or :n is index n-1). A query logger writes that list beside the
// statement (pgx's tracer: "sql", "INSERT … VALUES ($1, $2)", "args", [bob,
// hunter2]); the set says which of its elements are secrets.
//
// A parameter stands in the place of a column when it is the column's value
// in an INSERT with a column list, in any row and also inside a function
// call there ("crypt($2, gen_salt('bf'))"), or when it is compared with or
// assigned to the column ("password = $2", "SET token=?"). Named parameters
// (:name, @name) are not counted: their arguments are named too. Statements
// longer than [MaxLen] have no parameters found.
func SQLParams(q string, secret func(column string) bool) uint64 {
	if len(q) > MaxLen || secret == nil || !HasParams(q) {
		return 0
	}
	var (
		set      uint64
		question int      // '?' seen so far
		into     bool     // after INSERT … INTO, before its column list
		cols     []string // the column list of an INSERT
		inCols   bool     // reading it
		values   bool     // after VALUES, with a column list
		depth    int      // parentheses open in the values
		col      int      // the column of the value being read in a row
		name     string   // the identifier just before, if any
		compared string   // the column an operator just read compares a parameter with
	)
	lx := sqllexer.New(q)
	for {
		tok := lx.Scan()
		typ, v := tok.Type, tok.Value
		switch typ {
		case sqllexer.EOF, sqllexer.ERROR:
			return set
		case sqllexer.SPACE, sqllexer.COMMENT, sqllexer.MULTILINE_COMMENT:
			continue
		case sqllexer.UNKNOWN:
			if v == "`" {
				continue // MySQL's quotes around a name
			}
		}
		if idx := paramIndex(typ, v, &question); idx >= 0 {
			column := compared
			if values && depth >= 1 && col < len(cols) {
				column = cols[col]
			}
			if column != "" && idx < MaxParams && secret(column) {
				set |= 1 << idx
			}
			name, compared = "", ""
			continue
		}
		last := name
		name, compared = "", ""
		switch typ {
		case sqllexer.IDENT, sqllexer.QUOTED_IDENT:
			id := unquoteIdent(v)
			if inCols {
				cols = append(cols, id)
			}
			name = id[strings.LastIndexByte(id, '.')+1:]
		case sqllexer.OPERATOR:
			if v == "=" || v == "<>" || v == "!=" {
				compared = last
			}
		case sqllexer.KEYWORD:
			switch {
			case strings.EqualFold(v, "LIKE") || strings.EqualFold(v, "ILIKE"):
				compared = last
			case strings.EqualFold(v, "INTO"):
				into = true
			case strings.EqualFold(v, "VALUES"):
				values, depth, col = cols != nil, 0, 0
				into = false
			}
		case sqllexer.COMMAND:
			into, inCols, cols, values = false, false, nil, false
		case sqllexer.PUNCTUATION:
			switch v {
			case "(":
				switch {
				case into && cols == nil:
					inCols, cols = true, []string{}
				case values:
					depth++
					if depth == 1 {
						col = 0 // a row
					}
				}
			case ")":
				switch {
				case inCols:
					inCols, into = false, false
				case values && depth > 0:
					depth--
				}
			case ",":
				if values && depth == 1 {
					col++
				}
			}
		}
	}
}

// HasParams reports whether q may hold a bind parameter SQLParams counts
// ($n, '?', @pN): without one it has none to find, and q need not be lexed.
func HasParams(q string) bool { return strings.ContainsAny(q, "$?@") }

// paramIndex returns the index in the argument list of the bind parameter
// of type typ and text v ($1 and @p1: 0; each '?' the next index, counted in
// question), or -1 when it is none or named.
func paramIndex(typ sqllexer.TokenType, v string, question *int) int {
	switch {
	case typ == sqllexer.POSITIONAL_PARAMETER: // $1
		if n, err := strconv.Atoi(v[1:]); err == nil && n >= 1 {
			return n - 1
		}
	case typ == sqllexer.OPERATOR && v == "?":
		*question++
		return *question - 1
	case typ == sqllexer.BIND_PARAMETER && len(v) > 2 && (v[1] == 'p' || v[1] == 'P'): // @p1, SQL Server's
		if n, err := strconv.Atoi(v[2:]); err == nil && n >= 1 {
			return n - 1
		}
	}
	return -1
}

// unquoteIdent removes the quotes of a quoted identifier: "x", `x`, [x].
func unquoteIdent(s string) string {
	if len(s) >= 2 {
		switch s[0] {
		case '"', '`':
			if s[len(s)-1] == s[0] {
				return s[1 : len(s)-1]
			}
		case '[':
			if s[len(s)-1] == ']' {
				return s[1 : len(s)-1]
			}
		}
	}
	return s
}
