package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/DataDog/go-sqllexer"
)

func TestSQL(t *testing.T) {
	tests := []struct {
		name, system, in, want string
	}{
		{"empty", "", "", ""},
		{"redis AUTH", "redis", "AUTH default hunter2", "AUTH ?"},
		{"redis HELLO", "", "hello 3 AUTH default hunter2 SETNAME app", "HELLO ?"},
		{"redis MIGRATE", "", "MIGRATE host 6379 \"\" 0 5000 KEYS a AUTH hunter2", "MIGRATE ?"},
		{"redis CONFIG SET", "", "CONFIG SET requirepass hunter2", "CONFIG SET ?"},
		{"redis ACL SETUSER", "", "ACL SETUSER bob on >hunter2 ~* +@all", "ACL SETUSER ?"},
		{"redis placeholder", "", "AUTH ?", "AUTH ?"},
		{"SQL still SQL", "", "SELECT auth FROM config WHERE acl = 'x'", "SELECT auth FROM config WHERE acl = ?"},
		{"strings and numbers", "", "SELECT * FROM users WHERE email = 'alice@example.com' AND id = 42", "SELECT * FROM users WHERE email = ? AND id = ?"},
		{"number forms", "", "SELECT 0x1F, 0b1010, 1_000, 1.5e10, -3, 0777, .5", "SELECT ?, ?, ?, ?, ?, ?, .?"},
		{"hex and bit strings", "", "SELECT X'DEADBEEF', b'0101', N'name', E'x'", "SELECT X?, b?, N?, E?"},
		{"in list", "", "SELECT a FROM t WHERE a IN (1, 2, 3) AND b NOT IN ('x','y')", "SELECT a FROM t WHERE a IN (?, ?, ?) AND b NOT IN (?,?)"},
		{"values", "", "INSERT INTO t (a, b) VALUES ('x', 5), ('y', 6)", "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"},
		{"dollar quoted", "postgresql", "SELECT $$secret$$, $tag$also 'secret'$tag$ FROM t", "SELECT ?, ? FROM t"},
		{"dollar quoted function body", "postgresql", "CREATE FUNCTION f() RETURNS int AS $func$ SELECT 1 $func$ LANGUAGE sql", "CREATE FUNCTION f() RETURNS int AS ? LANGUAGE sql"},
		{"block comment", "", "SELECT a /* user=alice@example.com */ FROM t", "SELECT a   FROM t"},
		{"glued block comment", "", "SELECT a/*user=alice@example.com*/ FROM t", "SELECT a  FROM t"},
		{"line comment", "", "SELECT a FROM t -- pw=hunter2\nWHERE x = 1", "SELECT a FROM t  \nWHERE x = ?"},
		{"sqlcommenter", "", "SELECT 1 /*traceparent='00-abc-01',route='/u/alice'*/", "SELECT ?"},
		{"unterminated string", "", "SELECT 'unterminated secret", "SELECT ?"},
		{"unterminated comment", "", "SELECT a /* unterminated secret", "SELECT a ?"},
		{"unterminated quoted identifier", "postgresql", `SELECT "unterminated secret`, "SELECT ?"},
		{"parameters kept", "", "SELECT a FROM t WHERE x = $1 AND y = ? AND z = :name", "SELECT a FROM t WHERE x = $1 AND y = ? AND z = :name"},
		{"identifiers with digits kept", "", "SELECT col2 FROM t2024", "SELECT col2 FROM t2024"},
		{"booleans and null kept", "", "SELECT a FROM t WHERE b = TRUE AND c IS NULL", "SELECT a FROM t WHERE b = TRUE AND c IS NULL"},
		{"double quotes unknown: identifier", "", `SELECT "Col" FROM "Users"`, `SELECT "Col" FROM "Users"`},
		{"double quotes unknown: value", "", `SELECT a FROM t WHERE name = "alice" AND b LIKE "x%"`, "SELECT a FROM t WHERE name = ? AND b LIKE ?"},
		{"double quotes unknown: in list", "", `SELECT a FROM t WHERE "Col" IN ("x", "y")`, `SELECT a FROM t WHERE "Col" IN (?, ?)`},
		{"double quotes postgres: identifiers", "postgresql", `SELECT a FROM t WHERE a = "B"`, `SELECT a FROM t WHERE a = "B"`},
		{"double quotes mysql: strings", "mysql", `SELECT a FROM t WHERE "Col" = "alice"`, "SELECT a FROM t WHERE ? = ?"},
		{"charset introducer", "", `SELECT _utf8mb4"secret", _latin1'x'`, "SELECT _utf8mb4?, _latin1?"},
		{"mysql hash comment", "mysql", "SELECT a # secret\nFROM t", "SELECT a  \nFROM t"},
		{"mysql glued hash comment", "mysql", "SELECT a#secret\nFROM t", "SELECT a \nFROM t"},
		{"mysql backslash escape", "mysql", `SELECT 'O\'Brien', 'x'`, "SELECT ?, ?"},
		{"mysql backticks kept", "MySQL", "SELECT `a` FROM `db`.`t` WHERE `a` = 1", "SELECT `a` FROM `db`.`t` WHERE `a` = ?"},
		{"postgres backslash is literal", "postgresql", `SELECT 'C:\', 'secret'`, "SELECT ?, ?"},
		{"postgres escape string", "postgresql", `SELECT E'it\'s', 'x'`, "SELECT E?, ?"},
		{"unknown ambiguous backslash", "", `SELECT 'C:\', 'secret'`, SQLMarker},
		{"unknown unambiguous backslash", "", `SELECT 'a\nb' FROM t`, "SELECT ? FROM t"},
		{"sql server brackets", "microsoft.sql_server", "SELECT [name] FROM [dbo].[t] WHERE id = 7", "SELECT [name] FROM [dbo].[t] WHERE id = ?"},
		{"oracle q-quote", "oracle.db", "SELECT q'[it's secret]', Q'{x}', nq'!y!' FROM dual", "SELECT ?, ?, ? FROM dual"},
		{"oracle q-quote unterminated", "oracle.db", "SELECT q'[it's secret", "SELECT ?"},
		{"oracle q identifier", "oracle.db", "SELECT q FROM t WHERE q = 'x'", "SELECT q FROM t WHERE q = ?"},
		{"oracle bind", "oracle.db", "SELECT a FROM t WHERE id = :id AND n = 'x'", "SELECT a FROM t WHERE id = :id AND n = ?"},
		{"json operators", "postgresql", "SELECT data->>'email' FROM t WHERE data @> '{\"a\":1}'", "SELECT data->>? FROM t WHERE data @> ?"},
		{"nul byte", "", "SELECT 'a\x00b', 'secret'", "SELECT ?, ?"},
		{"invalid utf8", "", "SELECT \xff FROM t WHERE a = 'x\xfe'", "SELECT \uFFFD FROM t WHERE a = ?"},
		{"marker is stable", "", SQLMarker, SQLMarker},
		{"too large", "", "SELECT '" + strings.Repeat("x", MaxLen) + "'", SQLMarker},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SQLFor(tt.system, tt.in)
			if got != tt.want {
				t.Errorf("SQLFor(%q, %q)\n got %q\nwant %q", tt.system, tt.in, got, tt.want)
			}
			if again := SQLFor(tt.system, got); again != got {
				t.Errorf("not idempotent: %q -> %q", got, again)
			}
		})
	}
}

func TestSQLIsSQLForUnknown(t *testing.T) {
	for _, q := range []string{"SELECT 1", `SELECT "a" FROM t WHERE b = "c"`, `SELECT 'C:\', 'x'`} {
		if SQL(q) != SQLFor("", q) || SQL(q) != SQLFor("no-such-db", q) {
			t.Errorf("SQL(%q) = %q, SQLFor(\"\") = %q", q, SQL(q), SQLFor("", q))
		}
	}
}

// TestSQLCanary puts a secret in every place a statement can carry one and
// checks that no byte of it is left.
func TestSQLCanary(t *testing.T) {
	const c = "CanarY7731"
	systems := []string{"", "mysql", "postgresql", "microsoft.sql_server", "oracle.db", "ibm.db2", "sqlite", "snowflake"}
	statements := []string{
		"SELECT * FROM t WHERE a = '" + c + "'",
		"SELECT * FROM t WHERE a = '" + c,
		"SELECT * FROM t WHERE a IN ('x', '" + c + "')",
		"INSERT INTO t VALUES ('" + c + "', 1)",
		"SELECT a FROM t /* " + c + " */",
		"SELECT a/*" + c + "*/ FROM t",
		"SELECT a FROM t -- " + c,
		"SELECT a FROM t /* " + c,
		"SELECT $$" + c + "$$",
		"SELECT $q$" + c + "$q$",
		"SELECT $func$" + c + "$func$",
		"SELECT _utf8mb4'" + c + "'",
		"SELECT N'" + c + "'",
		"SELECT a FROM t WHERE b = 'it''s " + c + "'",
		"SELECT 1 /*traceparent='" + c + "'*/",
		"SELECT 'x\x00" + c + "'",
	}
	for _, sys := range systems {
		for _, q := range statements {
			if sys == "microsoft.sql_server" && strings.HasPrefix(q, "SELECT $") {
				continue // T-SQL has no dollar quoting: $name is an identifier there
			}
			if got := SQLFor(sys, q); strings.Contains(got, c) || strings.Contains(got, c[:6]) {
				t.Errorf("SQLFor(%q, %q) = %q leaks the canary", sys, q, got)
			}
		}
	}
	// Dialect-specific forms.
	for _, tc := range []struct{ sys, q string }{
		{"mysql", `SELECT a FROM t WHERE b = "` + c + `"`},
		{"mysql", "SELECT a FROM t # " + c},
		{"mysql", `SELECT 'it\'s', '` + c + "'"},
		{"", `SELECT a FROM t WHERE b = "` + c + `"`},
		{"", `SELECT a FROM t WHERE b IN ("x", "` + c + `")`},
		{"", `SELECT _utf8mb4"` + c + `"`},
		{"", `SELECT 'it\'s', '` + c + "'"},
		{"", `SELECT 'C:\', '` + c + "'"},
		{"postgresql", `SELECT 'C:\', '` + c + "'"},
		{"postgresql", `SELECT E'it\'s', '` + c + "'"},
		{"oracle.db", "SELECT q'[it's " + c + "]' FROM dual"},
		{"oracle.db", "SELECT q'<it's " + c},
	} {
		if got := SQLFor(tc.sys, tc.q); strings.Contains(got, c) {
			t.Errorf("SQLFor(%q, %q) = %q leaks the canary", tc.sys, tc.q, got)
		}
	}
}

func TestSQLConcurrent(t *testing.T) {
	const q = "SELECT * FROM t WHERE a = 'secret' AND b IN (1, 2) /* c */"
	want := SQL(q)
	done := make(chan bool)
	for range 4 {
		go func() {
			ok := true
			for range 200 {
				ok = ok && SQL(q) == want
			}
			done <- ok
		}()
	}
	for range 4 {
		if !<-done {
			t.Fatal("concurrent SQL calls disagree")
		}
	}
}

var fuzzSystems = []string{"", "mysql", "postgresql", "microsoft.sql_server", "oracle.db", "ibm.db2", "sqlite", "snowflake"}

// literalTypes are the token types that must not appear when a sanitized
// statement is lexed again.
var literalTypes = map[sqllexer.TokenType]string{
	sqllexer.NUMBER:                 "number",
	sqllexer.STRING:                 "string",
	sqllexer.INCOMPLETE_STRING:      "incomplete string",
	sqllexer.DOLLAR_QUOTED_STRING:   "dollar-quoted string",
	sqllexer.DOLLAR_QUOTED_FUNCTION: "dollar-quoted function",
	sqllexer.COMMENT:                "comment",
	sqllexer.MULTILINE_COMMENT:      "comment",
}

func FuzzSQL(f *testing.F) {
	for _, s := range []string{
		"SELECT * FROM t WHERE a = 'x' AND b = 1",
		"SELECT a/*c*/ FROM t -- x\n",
		`SELECT "a" FROM t WHERE b = "c" AND d IN ("e")`,
		"SELECT $$x$$, $t$y$t$, 0b101, 1_0, X'ff'",
		`SELECT 'a\'b', 'c\', 'd'`,
		"SELECT `a`#x\n, _utf8\"y\"",
		"SELECT [a] FROM t WHERE x = :p AND y = @q AND z = $1",
		"SELECT data->>'k' FROM t WHERE j @> '{}'",
		"SELECT \xff\x00'",
	} {
		for i := range fuzzSystems {
			f.Add(uint8(i), s)
		}
	}
	f.Fuzz(func(t *testing.T, sys uint8, q string) {
		system := fuzzSystems[int(sys)%len(fuzzSystems)]
		got := SQLFor(system, q)
		if !utf8.ValidString(got) {
			t.Fatalf("SQLFor(%q, %q) = %q: invalid UTF-8", system, q, got)
		}
		if again := SQLFor(system, got); again != got {
			t.Fatalf("not idempotent for %q, %q:\n1: %q\n2: %q", system, q, got, again)
		}
		if got == SQLMarker {
			return
		}
		tz := newTokenizer(got, systems[system])
		for {
			tok, ok := tz.next()
			if !ok || tok.Type == sqllexer.EOF {
				break
			}
			if tok.Type == sqllexer.NUMBER && !strings.ContainsAny(tok.Value, "0123456789") {
				continue // a sign or a dot alone ("-.") carries no value
			}
			if kind, ok := literalTypes[tok.Type]; ok {
				t.Fatalf("SQLFor(%q, %q) = %q keeps a %s %q", system, q, got, kind, tok.Value)
			}
		}
	})
}
