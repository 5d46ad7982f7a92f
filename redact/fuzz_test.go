package redact

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"

	"github.com/veilhq/veil/internal/scan"
)

// survivors returns the detector matches in s that are not inside a token.
func survivors(s string) []string {
	var out []string
	for _, m := range scan.New(scan.All).Scan(nil, s) {
		if m.Start < 0 || m.End > len(s) || m.Start >= m.End || inToken(s, m.Start, m.End) {
			continue
		}
		out = append(out, m.Kind.String()+":"+s[m.Start:m.End])
	}
	return out
}

// walkJSON calls f on every key and string in a decoded JSON value.
func walkJSON(v any, f func(string)) {
	switch v := v.(type) {
	case string:
		f(v)
	case map[string]any:
		for k, x := range v {
			f(k)
			walkJSON(x, f)
		}
	case []any:
		for _, x := range v {
			walkJSON(x, f)
		}
	}
}

func fuzzSeeds(f *testing.F) {
	for _, s := range []string{
		"", "plain text", "alice@example.com", "call +1 415 555 0100", "10.0.0.1", "2001:db8::1",
		"4111 1111 1111 1111", "AKIAIOSFODNN7EXAMPLE", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
		"https://bob:pw@example.com/?token=abc", "password=hunter2", "\xff\xfe", "tok_k1_aaaaaaaaaaaaaaaaaaaaaaaaaa",
		"[EMAIL] [REDACTED]", "ghp_0123456789abcdefghijklmnopqrstuvwxyz",
		// forms the scanner reads by their syntax
		"Cookie: sid=abc; theme=dark", `{"X-Api-Key":["k1"],"Cookie":["a=b"]}`, "map[Password:[p1 p2]]",
		`http.Header{"Cookie":[]string{"sid=x"}}`, "<password>x</password>", `\u003ctoken\u003eabc12345\u003c/token\u003e`,
		"next=%2Fcb%3Faccess_token%3Dya29a0AfH6SM", "app:pw@tcp(db:3306)/x", "[./app -password x]",
		"sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c", "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
		"CREATE USER b WITH PASSWORD 'x'", "IDENTIFIED BY x", "?sv=1&sig=k3Jd8s9QxZ2v%2BfL0", "sq0atp-1a2B3c4D5e6F7g8H9i0J1k",
		"cvv=123", "password: x",
	} {
		f.Add(s, "key", s)
		f.Add("msg "+s, s, "v")
	}
}

func FuzzHandler(f *testing.F) {
	fuzzSeeds(f)
	r, err := New(WithLimits(Limits{MaxString: 4096}))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, msg, key, val string) {
		var buf bytes.Buffer
		l := jsonLogger(r, &buf)
		l.With(key, val).WithGroup(key).Info(msg, key, val, "g", slog.GroupValue(slog.String(key, val)),
			"e", errors.New(val), "b", []byte(val), "m", map[string]string{key: val}, "s", []string{val})
		var m map[string]any
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			t.Fatalf("output is not JSON: %v: %q", err, buf.String())
		}
		walkJSON(m, func(s string) {
			if sv := survivors(s); sv != nil {
				t.Errorf("detector match survived: %q in %q", sv, s)
			}
		})
	})
}

func FuzzIdempotent(f *testing.F) {
	fuzzSeeds(f)
	tok := testTokenizer(f)
	rs := []*Redactor{mustNew(f), mustNew(f, WithTokenizer(tok))}
	f.Fuzz(func(t *testing.T, msg, key, val string) {
		for _, r := range rs {
			for _, s := range []string{msg, key, val} {
				once := r.Redact(s)
				if twice := r.Redact(once); twice != once {
					t.Errorf("not idempotent: %q -> %q -> %q", s, once, twice)
				}
			}
			a := logOne(t, r, msg, key, val)
			b := logOne(t, r, a["msg"].(string))
			if a["msg"] != b["msg"] {
				t.Errorf("message not idempotent: %q -> %q", a["msg"], b["msg"])
			}
		}
	})
}
