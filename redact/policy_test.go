package redact

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"unsafe"

	"github.com/veilhq/veil/token"
)

func TestActions(t *testing.T) {
	tok := testTokenizer(t)
	tests := []struct {
		name string
		act  Action
		in   any
		want any
	}{
		{"drop", Drop(), "v", nil},
		{"mask all", Mask(0), "4111111111111111", "****"},
		{"mask last 4", Mask(4), "4111111111111111", "****1111"},
		{"mask short keeps nothing", Mask(4), "1234567", "****"},
		{"mask unicode", Mask(2), "àéîõüç", "****üç"},
		{"mask int", Mask(2), 123456, "****56"},
		{"replace", Replace("[X]"), "v", "[X]"},
		{"replace int", Replace("[N]"), 42, "[N]"},
		{"tokenize", Tokenize("email"), "Alice@Example.com", tok.Token("email", "alice@example.com")},
		{"truncate", Truncate(3), "abcdef", "abc…"},
		{"truncate short", Truncate(10), "abc", "abc"},
		{"truncate int unchanged", Truncate(1), 12345, float64(12345)},
		{"keep", Keep(), "v", "v"},
		{"mask group", Mask(4), map[string]string{"a": "b"}, "****"},
		{"replace group", Replace("[G]"), struct{ A int }{1}, "[G]"},
		{"tokenize group", Tokenize("user_id"), struct{ A int }{1}, "[USER_ID]"},
		{"drop group", Drop(), struct{ A int }{1}, nil},
		{"mask slice elements", Mask(1), []string{"abc", "defg"}, []any{"****c", "****g"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustNew(t, WithTokenizer(tok), WithRule(Key("field"), tt.act))
			got := logOne(t, r, "m", "field", tt.in, "other", "o")
			if tt.want == nil {
				if v, ok := got["field"]; ok {
					t.Errorf("got %v, want dropped", v)
				}
			} else if fmt.Sprint(got["field"]) != fmt.Sprint(tt.want) {
				t.Errorf("got %#v, want %#v", got["field"], tt.want)
			}
			if got["other"] != "o" {
				t.Errorf("other key affected: %v", got["other"])
			}
		})
	}
}

func TestKeyPatterns(t *testing.T) {
	tests := []struct {
		pattern string
		path    []string // groups then key
		match   bool
	}{
		{"email", []string{"email"}, true},
		{"email", []string{"user", "EMAIL"}, true},
		{"Email", []string{"user", "email"}, true},
		{"user.email", []string{"user", "email"}, true},
		{"user.email", []string{"email"}, false},
		{"user.email", []string{"a", "user", "email"}, false},
		{"*.card", []string{"payment", "card"}, true},
		{"*.card", []string{"card"}, false},
		{"*.card", []string{"a", "b", "card"}, false},
		{"**.card", []string{"a", "b", "card"}, true},
		{"**.card", []string{"card"}, true},
		{"http.**.cookie", []string{"http", "request", "header", "cookie"}, true},
		{"e*l", []string{"x", "email"}, true},
		{"user_?d", []string{"user_id"}, true},
	}
	for _, tt := range tests {
		r := mustNew(t, WithRule(Key(tt.pattern), Replace("[HIT]")))
		var buf bytes.Buffer
		l := jsonLogger(r, &buf)
		for _, g := range tt.path[:len(tt.path)-1] {
			l = l.WithGroup(g)
		}
		l.Info("m", tt.path[len(tt.path)-1], "v")
		hit := strings.Contains(buf.String(), "[HIT]")
		if hit != tt.match {
			t.Errorf("Key(%q) on %v: matched=%v, want %v (%s)", tt.pattern, tt.path, hit, tt.match, buf.String())
		}
	}
}

func TestPrecedence(t *testing.T) {
	tok := testTokenizer(t)
	r := mustNew(t, WithTokenizer(tok),
		WithRule(Key("note"), Replace("[SEGMENT]")),
		WithRule(Key("user.note"), Replace("[PATH]")),
		WithRule(Key("*.note"), Replace("[GLOB]")),
		WithRule(Key("token_count"), Keep()),
		WithRule(Key("password"), Mask(2)),
		WithRule(Key("gone"), Drop()),
	)
	type s struct {
		Note  string `veil:"keep" json:"note"`
		Other string `json:"note2" veil:"mask"`
	}
	got := logOne(t, r, "m",
		slog.Group("user", "note", "a"), // exact path beats glob and segment
		slog.Group("x", "note", "b"),    // glob path beats segment
		"note", "c",                     // segment
		"token_count", "12", // explicit Keep beats the default sensitive key "token"?
		"password", "abcdef", // explicit rule beats default sensitive key
		"tagged", s{"kept", "masked"}, // tag beats key rule
		"gone", token.Of("email", "x@y.z"),
	)
	want := map[string]any{
		"user": map[string]any{"note": "[PATH]"}, "x": map[string]any{"note": "[GLOB]"}, "note": "[SEGMENT]",
		"token_count": "12", "password": "****ef",
		"tagged": map[string]any{"note": "kept", "note2": "****"},
	}
	for k, w := range want {
		if fmt.Sprint(got[k]) != fmt.Sprint(w) {
			t.Errorf("%s: got %v, want %v", k, got[k], w)
		}
	}
	if _, ok := got["gone"]; ok {
		t.Errorf("Drop rule did not drop a token.Of value: %v", got["gone"])
	}
	// A type marker beats a key rule other than Drop.
	got = logOne(t, r, "m", "note", token.Of("email", "x@y.z"), "password", NewSecret("pw"))
	if got["note"] != tok.Token("email", "x@y.z") || got["password"] != Redacted {
		t.Errorf("type markers: %v", got)
	}
}

func TestStrict(t *testing.T) {
	r := mustNew(t, WithStrict("status", "user.id", "http"), WithRule(Key("email"), Replace("[E]")))
	type req struct {
		Method string
		Body   string
	}
	got := logOne(t, r, "message kept",
		"status", 200, "secretish", "x", slog.Group("user", "id", 7, "name", "bob"),
		"http", req{"GET", "body"}, "email", "a@b.c", "password", "pw", "status2", 1,
	)
	want := `map[email:[E] http:map[Body:body Method:GET] level:INFO msg:message kept status:200 user:map[id:7]]`
	if fmt.Sprint(got) != want {
		t.Errorf("strict:\n got %v\nwant %s", got, want)
	}
	// Allowed via WithGroup.
	var buf bytes.Buffer
	jsonLogger(r, &buf).WithGroup("user").With("id", 1, "name", "x").Info("m", "id", 2, "other", 3)
	if g := lastLine(t, &buf)["user"]; fmt.Sprint(g) != "map[id:2]" {
		t.Errorf("WithGroup strict: %v (%s)", g, buf.String())
	}
}

func TestStrictPassword(t *testing.T) {
	// An allowlisted sensitive key is still redacted.
	r := mustNew(t, WithStrict("password"))
	if got := logOne(t, r, "m", "password", "pw"); got["password"] != Redacted {
		t.Errorf("got %v", got)
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{"bad glob", []Option{WithRule(Key("user.[a"), Drop())}, "bad glob"},
		{"empty key", []Option{WithRule(Key(""), Drop())}, "empty pattern"},
		{"empty segment", []Option{WithRule(Key("a..b"), Drop())}, "empty path segment"},
		{"tokenize without tokenizer", []Option{WithRule(Key("a"), Tokenize("email"))}, "WithTokenizer"},
		{"bad kind", []Option{WithTokenizer(testTokenizer(t)), WithRule(Key("a"), Tokenize("E Mail"))}, "token kind"},
		{"nil action", []Option{WithRule(Key("a"), nil)}, "action is nil"},
		{"negative mask", []Option{WithRule(Key("a"), Mask(-1))}, "Mask(-1)"},
		{"zero truncate", []Option{WithRule(Key("a"), Truncate(0))}, "Truncate(0)"},
		{"unknown detector", []Option{WithoutDetectors("nope")}, `unknown detector "nope"`},
		{"unknown only detector", []Option{WithDetectors("email", "bogus")}, `unknown detector "bogus"`},
		{"detector drop", []Option{WithRule(Detector("nope"), Drop())}, "unknown detector"},
		{"negative limit", []Option{WithLimits(Limits{MaxDepth: -1})}, "MaxDepth is -1"},
		{"nil tokenizer", []Option{WithTokenizer(nil)}, "WithTokenizer(nil)"},
		{"bad strict", []Option{WithStrict("a[")}, "WithStrict"},
		{"nil option", []Option{nil}, "nil Option"},
	}
	for _, tt := range tests {
		r, err := New(tt.opts...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: New() = %v, %v; want error containing %q", tt.name, r, err, tt.want)
		}
	}
	// Several errors are reported at once.
	_, err := New(WithRule(Key(""), Drop()), WithLimits(Limits{MaxAttrs: -2}))
	if err == nil || !strings.Contains(err.Error(), "empty pattern") || !strings.Contains(err.Error(), "MaxAttrs") {
		t.Errorf("joined errors: %v", err)
	}
}

func TestSanitizedKeys(t *testing.T) {
	r := mustNew(t)
	got := logOne(t, r, "m",
		"http.request.header.authorization", "Bearer abc",
		"http.request.header.accept", "text/html",
		"http.request.header.ocp-apim-subscription-key", []string{"k1"},
		slog.Group("http", slog.Group("response", slog.Group("header", "set-cookie", "sid=1"))),
	)
	if got["http.request.header.authorization"] != Redacted || got["http.request.header.accept"] != "text/html" ||
		fmt.Sprint(got["http.request.header.ocp-apim-subscription-key"]) != "["+Redacted+"]" {
		t.Errorf("headers: %v", got)
	}
	if !strings.Contains(fmt.Sprint(got["http"]), Redacted) {
		t.Errorf("grouped header: %v", got["http"])
	}
	// Every URL-valued key of the conventions, old and new, loses the
	// values of sensitive parameters and userinfo (short values no detector
	// would take for secrets).
	for k, v := range map[string]string{
		"url.full":     "https://bob:pw1@example.com/reset?token=abc&page=2",
		"url.original": "https://bob:pw1@example.com/reset?token=abc&page=2",
		"http.url":     "https://bob:pw1@example.com/reset?token=abc&page=2",
		"http.target":  "/reset?token=abc&page=2",
		"url.query":    "token=abc&page=2",
	} {
		got := logOne(t, r, "m", k, v)[k].(string)
		if strings.Contains(got, "abc") || strings.Contains(got, "pw1") || !strings.Contains(got, "page=2") {
			t.Errorf("%s: %q", k, got)
		}
	}
}

// Redact over a text with more matches than its stack buffer holds.
func TestRedactManyMatches(t *testing.T) {
	r := mustNew(t)
	var b strings.Builder
	for i := range 100 {
		fmt.Fprintf(&b, "user%d@example.com ", i)
	}
	out := r.Redact(b.String())
	if strings.Contains(out, "@example.com") || strings.Count(out, "[EMAIL]") != 100 {
		t.Errorf("Redact = %q", out)
	}
	if n := testing.AllocsPerRun(20, func() {
		r.Redact("a@example.com b@example.com c@example.com d@example.com e@example.com f@example.com")
	}); n > 1 {
		t.Errorf("6 matches: %v allocations, want 1 (the result)", n)
	}
}

// A key logged from a reused buffer (as fasthttp-style zero-copy code does
// with unsafe.String) must be judged by its current bytes, not by a cached
// node for what the buffer held before.
func TestKeyFromReusedBuffer(t *testing.T) {
	r := mustNew(t)
	var out bytes.Buffer
	l := slog.New(r.Handler(slog.NewJSONHandler(&out, nil)))
	buf := []byte("username")
	key := unsafe.String(unsafe.SliceData(buf), len(buf))
	l.Info("m", key, "alice")
	copy(buf, "password")
	l.Info("m", key, "hunter2-Canary!")
	if strings.Contains(out.String(), "hunter2-Canary!") {
		t.Errorf("secret under a reused key buffer leaked: %s", out.String())
	}
}
