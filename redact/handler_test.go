package redact

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/slogtest"
	"time"
)

func TestSlogtest(t *testing.T) {
	r := mustNew(t)
	var buf bytes.Buffer
	newHandler := func(*testing.T) slog.Handler {
		buf.Reset()
		return r.Handler(slog.NewJSONHandler(&buf, nil))
	}
	result := func(t *testing.T) map[string]any {
		var m map[string]any
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			t.Fatalf("%v: %q", err, buf.String())
		}
		return m
	}
	slogtest.Run(t, newHandler, result)
}

func TestDefaultSensitiveKeys(t *testing.T) {
	r := mustNew(t)
	for _, k := range []string{
		"password", "PASSWORD", "Passwd", "pwd", "secret", "token", "access_token", "accessToken",
		"refresh-token", "api_key", "apiKey", "API-KEY", "x-api-key", "authorization", "Authorization",
		"auth", "cookie", "set-cookie", "Set-Cookie", "session", "session_id", "sessionId", "ssn", "card",
		"card_number", "cardNumber", "cvv", "cvc", "pin", "private_key", "privateKey", "client_secret",
		"credentials", "db_password", "userPassword", "aws.secret", "stripe_api_key",
		// names the detectors know in text, and keys ending in token
		"aws_secret_access_key", "AWS_ACCESS_KEY", "accessKey", "signing_key", "encryptionKey", "AccountKey",
		"SharedAccessKey", "master_key", "hmac-key", "api-token", "private_token", "x-auth-token", "csrfToken",
		// password hashes and one-time codes
		"password_hash", "passwordDigest", "password_digest", "pw_hash", "mfa_code", "otp_code", "totp",
		"verification_code", "2fa_code", "recovery_codes", "backup_codes", "passcode", "pin_code", "security_code",
		"secret_key_base",
		// vendors' names for an API key
		"Ocp-Apim-Subscription-Key", "NEW_RELIC_LICENSE_KEY", "DD_APPLICATION_KEY", "dd-application-key",
	} {
		got := logOne(t, r, "m", k, "s3cr3t-value")
		if got[k] != Redacted {
			t.Errorf("key %q: got %v, want %q", k, got[k], Redacted)
		}
	}
	for _, k := range []string{"user", "path", "status", "count", "tokens_used", "spinner", "cards_dealt", "description",
		"max_tokens", "token_count", "tokenizer", "cache_key", "idempotency_key", "s3_key", "keyboard",
		"hash", "content_hash", "status_code", "error_code", "mfa", "mfa_enabled", "code"} {
		got := logOne(t, r, "m", k, "plain")
		if got[k] != "plain" {
			t.Errorf("key %q: got %v, want it unchanged", k, got[k])
		}
	}
}

func TestSensitiveKeyInGroupAndStruct(t *testing.T) {
	r := mustNew(t)
	type creds struct {
		User     string
		Password string `json:"password"`
	}
	got := logOne(t, r, "m", slog.Group("db", slog.String("Password", "x1")), "c", creds{"bob", "x2"}, "credentials", creds{"bob", "x3"})
	if g := got["db"].(map[string]any); g["Password"] != Redacted {
		t.Errorf("group: %v", g)
	}
	if g := got["c"].(map[string]any); g["password"] != Redacted || g["User"] != "bob" {
		t.Errorf("struct: %v", g)
	}
	if got["credentials"] != Redacted {
		t.Errorf("sensitive key holding a struct: %v", got["credentials"])
	}
}

// TestMapKeys: a map's keys become attribute keys whatever their type, and a
// key held in an interface (map[any]any, as YAML decoders return) is the key
// it holds, so key rules see "password" in map[any]any too.
func TestMapKeys(t *testing.T) {
	r := mustNew(t)
	got := logOne(t, r, "m", "m", map[any]any{
		"password": "x1", 7: "int", uint8(8): "uint8", 1.5: "float", float32(0.1): "float32",
		true: "bool", netip.MustParseAddr("203.0.113.7"): "text",
	})
	want := map[string]any{
		"password": Redacted, "7": "int", "8": "uint8", "1.5": "float", "0.1": "float32",
		"true": "bool", "[IP]": "text",
	}
	m := got["m"].(map[string]any)
	for k, v := range want {
		if m[k] != v {
			t.Errorf("key %q: got %v, want %v (all: %v)", k, m[k], v, m)
		}
	}
	// Keys with no text of their own are marked.
	for _, k := range []any{nil, struct{ A int }{1}} {
		got := logOne(t, r, "m", "m", map[any]any{k: "v"})
		if m := got["m"].(map[string]any); m[markerKey] != "v" {
			t.Errorf("key %#v: %v", k, m)
		}
	}
}

// captureHandler records what it is given.
type captureHandler struct {
	mu   sync.Mutex
	recs []slog.Record
	with [][]slog.Attr
}

func (c *captureHandler) Enabled(context.Context, slog.Level) bool { return true }
func (c *captureHandler) Handle(_ context.Context, r slog.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.recs = append(c.recs, r)
	return nil
}
func (c *captureHandler) WithAttrs(as []slog.Attr) slog.Handler {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.with = append(c.with, as)
	return c
}
func (c *captureHandler) WithGroup(string) slog.Handler { return c }

func TestRecordUntouched(t *testing.T) {
	r := mustNew(t)
	var c captureHandler
	h := r.Handler(&c)
	now := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	rec := slog.NewRecord(now, slog.LevelWarn, "hello", 42)
	rec.AddAttrs(slog.String("password", "pw"), slog.Int("n", 1))
	if err := h.Handle(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	// The caller's record still holds the original value.
	var orig string
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == "password" {
			orig = a.Value.String()
		}
		return true
	})
	if orig != "pw" {
		t.Errorf("caller's record modified: password=%q", orig)
	}
	got := c.recs[0]
	if !got.Time.Equal(now) || got.Level != slog.LevelWarn || got.PC != 42 || got.Message != "hello" {
		t.Errorf("time/level/pc/msg changed: %v %v %v %q", got.Time, got.Level, got.PC, got.Message)
	}
	var keys []string
	got.Attrs(func(a slog.Attr) bool {
		keys = append(keys, a.Key+"="+a.Value.String())
		return true
	})
	if strings.Join(keys, ",") != "password=[REDACTED],n=1" {
		t.Errorf("attrs = %v", keys)
	}
}

func TestCleanRecordPassedThrough(t *testing.T) {
	r := mustNew(t)
	var c captureHandler
	h := r.Handler(&c)
	rec := slog.NewRecord(time.Now(), slog.LevelInfo, "clean", 0)
	rec.AddAttrs(slog.String("a", "b"), slog.Int("n", 1), slog.Bool("ok", true))
	allocs := testing.AllocsPerRun(100, func() {
		if err := h.Handle(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
		c.recs = c.recs[:0]
	})
	if allocs != 0 {
		t.Errorf("clean record: %v allocations per record, want 0", allocs)
	}
}

type countingValuer struct{ n *int }

func (c countingValuer) LogValue() slog.Value {
	*c.n++
	return slog.StringValue("v")
}

func TestWithAttrsRedactedOnce(t *testing.T) {
	r := mustNew(t)
	var c captureHandler
	calls := 0
	l := slog.New(r.Handler(&c)).With("lv", countingValuer{&calls}, "password", "pw")
	for range 5 {
		l.Info("m")
	}
	if calls != 1 {
		t.Errorf("LogValue called %d times, want 1 (at With time)", calls)
	}
	if len(c.with) != 1 || c.with[0][1].Value.String() != Redacted || c.with[0][0].Value.String() != "v" {
		t.Errorf("With attrs = %v", c.with)
	}
}

func TestWithGroupPath(t *testing.T) {
	r := mustNew(t, WithRule(Key("user.nick"), Replace("[N]")))
	var buf bytes.Buffer
	l := jsonLogger(r, &buf)
	l.WithGroup("user").Info("m", "nick", "a", "other", "b")
	got := lastLine(t, &buf)["user"].(map[string]any)
	if got["nick"] != "[N]" || got["other"] != "b" {
		t.Errorf("got %v", got)
	}
	l.Info("m", "nick", "top")
	if got := lastLine(t, &buf); got["nick"] != "top" {
		t.Errorf("rule on user.nick applied to top-level nick: %v", got)
	}
}

func TestEnabledForwarded(t *testing.T) {
	r := mustNew(t)
	h := r.Handler(slog.NewJSONHandler(&bytes.Buffer{}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if h.Enabled(context.Background(), slog.LevelInfo) || !h.Enabled(context.Background(), slog.LevelError) {
		t.Error("Enabled not forwarded")
	}
}

func TestConcurrent(t *testing.T) {
	r := mustNew(t, WithTokenizer(testTokenizer(t)))
	var mu sync.Mutex
	var buf bytes.Buffer
	h := r.Handler(slog.NewJSONHandler(lockedWriter{&mu, &buf}, nil))
	l := slog.New(h).With("password", "pw")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lg := l.WithGroup("g")
			for i := range 200 {
				lg.Info("user alice@example.com", "i", i, "k"+string(rune('a'+g)), map[string]any{"password": "x", "n": i},
					"email", "bob@example.com", "s", struct{ Token string }{"t"})
			}
		}()
	}
	wg.Wait()
	if strings.Contains(buf.String(), `"pw"`) || strings.Contains(buf.String(), `"x"`) {
		t.Error("sensitive value leaked under concurrency")
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

type arenaInner struct {
	User     string `json:"user"`
	Password string `json:"password"`
}

type arenaOuter struct {
	ID    int        `json:"id"`
	Plan  string     `json:"plan"`
	Login arenaInner `json:"login"`
}

// TestStructGroupsOneAllocation: the groups a struct value makes, its own
// and its struct fields', come from one allocation per record, clipped so
// that a handler appending to one group cannot write into another.
func TestStructGroupsOneAllocation(t *testing.T) {
	r := mustNew(t)
	var c captureHandler
	h := r.Handler(&c)
	rec := slog.NewRecord(time.Now(), slog.LevelInfo, "m", 0)
	rec.AddAttrs(slog.Any("acct", arenaOuter{ID: 7, Plan: "pro", Login: arenaInner{"alice", "hunter2-Canary!"}}), slog.Int("n", 1))
	allocs := testing.AllocsPerRun(100, func() {
		if err := h.Handle(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
		c.recs = c.recs[:0]
	})
	if allocs != 1 {
		t.Errorf("%v allocations per record, want 1 (the groups' attributes)", allocs)
	}
	if err := h.Handle(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	var outer []slog.Attr
	c.recs[0].Attrs(func(a slog.Attr) bool {
		if a.Key == "acct" {
			outer = a.Value.Group()
		}
		return true
	})
	if len(outer) != 3 || cap(outer) != 3 || outer[2].Value.Kind() != slog.KindGroup {
		t.Fatalf("acct = %v (cap %d)", outer, cap(outer))
	}
	inner := outer[2].Value.Group()
	if len(inner) != 2 || cap(inner) != 2 {
		t.Fatalf("login = %v (cap %d)", inner, cap(inner))
	}
	_ = append(inner, slog.String("x", "y")) // must not land in acct's attributes
	if outer[0].Key != "id" || outer[0].Value.Int64() != 7 || inner[1].Value.String() != Redacted {
		t.Errorf("acct = %v, login = %v", outer, inner)
	}
}

// TestStructGroupsReused: in front of the standard library's JSON and Text
// handlers, which keep nothing of a record after Handle, the groups' memory
// is reused: a record with struct values costs no allocation, and records
// logged one after another, or at once from many goroutines, each carry
// their own values.
func TestStructGroupsReused(t *testing.T) {
	r := mustNew(t)
	for _, mk := range []func(io.Writer) slog.Handler{
		func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
		func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
	} {
		h := r.Handler(mk(io.Discard))
		rec := slog.NewRecord(time.Now(), slog.LevelInfo, "m", 0)
		rec.AddAttrs(slog.Any("acct", arenaOuter{ID: 7, Plan: "pro", Login: arenaInner{"alice", "hunter2-Canary!"}}),
			slog.Any("other", arenaInner{"bob", "x"}), slog.Int("n", 1))
		h.Handle(context.Background(), rec) // the pool's first slab
		if allocs := testing.AllocsPerRun(100, func() { h.Handle(context.Background(), rec) }); allocs != 0 && !raceEnabled {
			t.Errorf("%T: %v allocations per record, want 0", h.(*handler).next, allocs)
		}
		for _, hh := range []slog.Handler{h, h.WithGroup("g"), h.WithAttrs([]slog.Attr{slog.Int("a", 1)})} {
			if !hh.(*handler).reuse {
				t.Errorf("%T: reuse not set", hh.(*handler).next)
			}
		}
	}
	var c captureHandler
	if h := r.Handler(&c); h.(*handler).reuse || h.WithGroup("g").(*handler).reuse {
		t.Error("reuse set for a handler that may retain records")
	}

	var buf bytes.Buffer
	lw := lockedWriter{w: &buf, mu: new(sync.Mutex)}
	l := slog.New(r.Handler(slog.NewJSONHandler(lw, nil)))
	const goroutines, each = 8, 200
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				id := g*each + i
				user := fmt.Sprintf("user%d", id)
				// two struct values: the second is carved from the same slab
				l.Info("m", "acct", arenaOuter{ID: id, Plan: user, Login: arenaInner{user, "hunter2-Canary!"}},
					"again", arenaInner{user, "x"})
			}
		})
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != goroutines*each {
		t.Fatalf("%d lines, want %d", len(lines), goroutines*each)
	}
	for _, line := range lines {
		var got struct {
			Acct struct {
				ID    int
				Plan  string
				Login struct{ User, Password string }
			}
			Again struct{ User string }
		}
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		want := fmt.Sprintf("user%d", got.Acct.ID)
		if got.Acct.Plan != want || got.Acct.Login.User != want || got.Again.User != want || got.Acct.Login.Password != Redacted {
			t.Fatalf("a record carries another's values: %s", line)
		}
	}
}

// TestPutArenaClears: a slab goes back to the pool with every attribute
// taken from it cleared, so that pooled memory holds no logged value, both
// when the arena is still the slab's tail and when an allocation replaced it.
func TestPutArenaClears(t *testing.T) {
	for _, replaced := range []bool{false, true} {
		var w walker
		w.st.reuse = true
		w.takeArena(3)
		s := w.slab
		if s == nil || len(w.arena) != maxTake {
			t.Fatalf("takeArena(3) took no slab: %d attributes", len(w.arena))
		}
		for i := range 5 {
			w.arena[i] = slog.String("k", "secret")
		}
		w.arena = w.arena[5:]
		if replaced {
			s.a[maxTake-1] = slog.String("k", "secret")
			w.takeArena(3) // a second slab is never taken: this allocates
			if w.slab != s || &w.arena[0] == &s.a[0] {
				t.Fatal("takeArena with a slab in use did not allocate")
			}
		}
		w.putArena()
		for i, a := range s.a {
			if !a.Equal(slog.Attr{}) {
				t.Fatalf("replaced=%v: attribute %d not cleared: %v", replaced, i, a)
			}
		}
		if w.slab != nil || w.arena != nil {
			t.Error("putArena left the slab with the walker")
		}
	}
}

type roomAuth struct {
	Scheme string `json:"scheme"`
	Token  string `json:"token"`
}

type roomReq struct {
	Method string     `json:"method"`
	Auth   roomAuth   `json:"auth"`  // a sensitive key: replaced, not walked
	Login  arenaInner `json:"login"` // walked
	When   time.Time  `json:"when"`  // formats itself: no group
}

// TestStructRoom: the room a struct value allocates for its groups counts
// the struct fields that are walked into, not those a sensitive key or a
// rule replaces, nor types that format themselves.
func TestStructRoom(t *testing.T) {
	r := mustNew(t)
	n := r.child(r.root, "req")
	p := n.planFor(reflect.TypeFor[roomReq]())
	if got := r.room(n, p); got != 4+2 {
		t.Errorf("room = %d, want 6 (4 fields + login's 2)", got)
	}
	rd := mustNew(t, WithRule(Key("req.login"), Drop()))
	nd := rd.child(rd.root, "req")
	if got := rd.room(nd, nd.planFor(reflect.TypeFor[roomReq]())); got != 4 {
		t.Errorf("room with login dropped = %d, want 4", got)
	}
}

// TestRecord: Redactor.Record redacts a record as the handler does, leaves
// its input as it was, and returns a clean record unchanged.
func TestRecord(t *testing.T) {
	r := mustNew(t)
	const secret = "Canary-Record-Pw1"
	rec := slog.NewRecord(time.Now(), slog.LevelWarn, "mail canary.bob@example.com", 7)
	rec.AddAttrs(slog.String("password", secret), slog.Any("acct", arenaOuter{ID: 1, Plan: "pro", Login: arenaInner{"bob", secret}}),
		slog.String("note", "x"), slog.Int("a", 1), slog.Int("b", 2), slog.String("c", "sent to canary.bob@example.com"))
	out := r.Record(rec)
	var buf bytes.Buffer
	if err := slog.NewJSONHandler(&buf, nil).Handle(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{secret, "canary.bob@example.com"} {
		if strings.Contains(buf.String(), s) {
			t.Errorf("%s leaked: %s", s, buf.String())
		}
	}
	if out.Time != rec.Time || out.Level != rec.Level || out.PC != rec.PC || out.NumAttrs() != 6 ||
		!strings.Contains(buf.String(), `"plan":"pro"`) {
		t.Errorf("record changed beyond redaction: %s", buf.String())
	}
	var before []string
	rec.Attrs(func(a slog.Attr) bool { before = append(before, a.Value.String()); return true })
	if rec.Message != "mail canary.bob@example.com" || before[0] != secret {
		t.Errorf("the input record was modified: %q %v", rec.Message, before)
	}

	clean := slog.NewRecord(time.Now(), slog.LevelInfo, "ok", 0)
	clean.AddAttrs(slog.String("method", "GET"))
	if got := r.Record(clean); got.Message != "ok" || got.NumAttrs() != 1 {
		t.Errorf("clean record: %v", got)
	}
}
