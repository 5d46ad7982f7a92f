package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/veilhq/veil/sampling"
)

// Canaries: planted in requests, they must never appear in any output byte.
const (
	aliceEmail    = "alice@example.com"
	alicePassword = "correct-horse-battery-staple"
	bobEmail      = "bob@example.org"
	wrongPassword = "n0t-her-Passw0rd-canary"
	adminToken    = "adm1n-t0ken-canary-3f9a"
	testKeys      = "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" // "0123456789abcdef0123456789abcdef"
)

// syncBuffer is an io.Writer safe for the server's goroutines and the batch
// span processor.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}

// fakeClock is the debug windows' clock, moved by the test.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type harness struct {
	t     *testing.T
	srv   *httptest.Server
	svc   *service
	logs  *syncBuffer
	spans *syncBuffer
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	h := &harness{t: t, logs: &syncBuffer{}, spans: &syncBuffer{}}
	cfg.Logs, cfg.Spans = h.logs, h.spans
	svc, err := newService(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.svc = svc
	h.srv = httptest.NewServer(svc.Handler()) // listens on 127.0.0.1
	if !strings.HasPrefix(h.srv.URL, "http://127.0.0.1:") {
		t.Fatalf("test server on %s, want 127.0.0.1", h.srv.URL)
	}
	t.Cleanup(h.srv.Close)
	return h
}

// do sends a request and returns the status and the log records written
// while it was served.
func (h *harness) do(method, path, body string, header map[string]string) (int, []map[string]any) {
	h.t.Helper()
	before := len(h.logs.Bytes())
	req, err := http.NewRequest(method, h.srv.URL+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, records(h.t, h.logs.Bytes()[before:])
}

func records(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("log output is not JSON lines: %v: %s", err, line)
		}
		out = append(out, m)
	}
	return out
}

func levels(recs []map[string]any, level string) []map[string]any {
	var out []map[string]any
	for _, r := range recs {
		if r["level"] == level {
			out = append(out, r)
		}
	}
	return out
}

func jsonBody(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestIncident drives the incident of README.md and checks what leaves the
// service: no canary in any byte of logs or spans, the user's token where
// records are about them, debug records only around the error and inside the
// debug window, and an admin endpoint closed to requests without the token.
func TestIncident(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 11, 25, 22, 0, 0, 0, time.UTC)}
	h := newHarness(t, Config{Keys: testKeys, AdminToken: adminToken, SampleRatio: 1, Clock: clock.Now})
	aliceTok, err := userToken(testKeys, aliceEmail)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(aliceTok, "tok_k1_") {
		t.Fatalf("token %q", aliceTok)
	}
	jsonCT := map[string]string{"Content-Type": "application/json"}

	// 1. Logins: a good one (JSON), a bad one (form). Outside a window and
	// without an error in the trace, the flight recorder holds every record
	// below Error, and lets it expire unseen.
	if code, recs := h.do("POST", "/login", jsonBody(credentials{aliceEmail, alicePassword}), jsonCT); code != 200 || len(recs) != 0 {
		t.Errorf("login: status %d, records %v", code, recs)
	}
	form := url.Values{"email": {aliceEmail}, "password": {wrongPassword}}.Encode()
	code, recs := h.do("POST", "/login", form, map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if code != 401 || len(recs) != 0 {
		t.Errorf("bad login: status %d, records %v", code, recs)
	}

	// 2. The user's bug: the export fails. The flight recorder shows the
	// request's debug records, before the error.
	code, recs = h.do("GET", "/export?user="+url.QueryEscape(aliceEmail), "", nil)
	if code != 500 {
		t.Errorf("export: status %d", code)
	}
	if len(recs) < 3 || recs[0]["level"] != "DEBUG" || recs[len(recs)-1]["level"] != "ERROR" {
		t.Errorf("export: want the held debug records, then the error; got %v", recs)
	}
	if !strings.Contains(jsonBody(recs), aliceTok) {
		t.Errorf("export: the user's token is not in the records: %v", recs)
	}

	// 3. Without a window, orders shows no debug records.
	if _, recs = h.do("GET", "/orders?user="+url.QueryEscape(aliceEmail), "", nil); len(levels(recs, "DEBUG")) != 0 {
		t.Errorf("orders before the window: debug records %v", recs)
	}

	// 4. The admin endpoint refuses requests without the right token.
	open := jsonBody(map[string]any{"match": map[string]string{"user": aliceTok}, "duration": "15m", "reason": "INC-7 export fails"})
	for _, hdr := range []map[string]string{
		jsonCT,
		{"Content-Type": "application/json", "Authorization": "Bearer wrong-" + adminToken},
		{"Content-Type": "application/json", "Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("x:"+adminToken))},
	} {
		if code, _ := h.do("POST", "/admin/windows", open, hdr); code != http.StatusForbidden {
			t.Errorf("admin request with %v: status %d, want 403", hdr, code)
		}
	}
	if n := len(h.svc.windows.List()); n != 0 {
		t.Fatalf("%d windows open after refused requests", n)
	}

	// 5. The investigator opens a window for the user's token.
	auth := map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + adminToken}
	code, recs = h.do("POST", "/admin/windows", open, auth)
	if code != http.StatusCreated {
		t.Fatalf("open window: status %d", code)
	}
	list := h.svc.windows.List()
	if len(list) != 1 || list[0].Spec.Match.User != aliceTok || list[0].Spec.Actor != "operator" {
		t.Fatalf("windows after opening: %+v", list)
	}
	winID := list[0].ID
	if len(recs) != 1 || recs[0]["msg"] != "debug window opened" || recs[0]["window"] != winID {
		t.Errorf("window opening not logged: %v", recs)
	}

	// 6. Reproduce inside the window: the user's requests show debug
	// records, marked with the window; other users' requests do not.
	_, recs = h.do("GET", "/orders?user="+url.QueryEscape(aliceEmail), "", nil)
	debug := levels(recs, "DEBUG")
	if len(debug) != 2 {
		t.Errorf("orders inside the window: %d debug records, want 2: %v", len(debug), recs)
	}
	for _, r := range debug {
		if r[sampling.WindowAttrKey] != winID || r["user"] != aliceTok {
			t.Errorf("debug record inside the window: %v", r)
		}
	}
	if _, recs = h.do("GET", "/orders?user="+url.QueryEscape(bobEmail), "", nil); len(levels(recs, "DEBUG")) != 0 {
		t.Errorf("another user's request inside the window: debug records %v", recs)
	}
	if _, recs = h.do("GET", "/orders", "", map[string]string{"X-User": aliceEmail}); len(levels(recs, "DEBUG")) == 0 {
		t.Errorf("user named by X-User inside the window: no debug records: %v", recs)
	}

	// 7. The window closes itself at expiry.
	clock.Add(16 * time.Minute)
	if _, recs = h.do("GET", "/orders?user="+url.QueryEscape(aliceEmail), "", nil); len(levels(recs, "DEBUG")) != 0 {
		t.Errorf("orders after expiry: debug records %v", recs)
	}
	if n := len(h.svc.windows.List()); n != 0 {
		t.Errorf("%d windows open after expiry", n)
	}
	if !bytes.Contains(h.logs.Bytes(), []byte(`"msg":"debug window expired"`)) {
		t.Errorf("window expiry not logged")
	}

	if err := h.svc.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	logs, spans := h.logs.Bytes(), h.spans.Bytes()

	// Nothing planted leaves the process, in any form we can think of.
	for _, c := range []string{aliceEmail, alicePassword, bobEmail, wrongPassword, adminToken} {
		for _, form := range []string{c, url.QueryEscape(c), strings.ToUpper(c), jsonBody(c)[1 : len(jsonBody(c))-1]} {
			if bytes.Contains(logs, []byte(form)) {
				t.Errorf("canary %q leaked into the logs", form)
			}
			if bytes.Contains(spans, []byte(form)) {
				t.Errorf("canary %q leaked into the spans", form)
			}
		}
	}
	for _, out := range []struct {
		name string
		b    []byte
	}{{"logs", logs}, {"spans", spans}} {
		if !bytes.Contains(out.b, []byte(aliceTok)) {
			t.Errorf("the user's token is not in the %s", out.name)
		}
	}
	if !bytes.Contains(spans, []byte(`"Name":"GET /orders"`)) || !bytes.Contains(spans, []byte(sampling.WindowAttrKey)) {
		t.Errorf("spans: the request spans or the window mark are missing:\n%s", spans)
	}
	if t.Failed() {
		t.Logf("logs:\n%s", logs)
	}
}

// TestAdminRefusedWithoutToken: with no VEIL_ADMIN_TOKEN every admin
// request is refused, whatever it carries.
func TestAdminRefusedWithoutToken(t *testing.T) {
	h := newHarness(t, Config{Keys: testKeys, SampleRatio: 1})
	for _, hdr := range []map[string]string{
		{"Content-Type": "application/json"},
		{"Content-Type": "application/json", "Authorization": "Bearer "},
		{"Content-Type": "application/json", "Authorization": "Bearer anything"},
	} {
		for _, method := range []string{"GET", "POST", "DELETE"} {
			if code, _ := h.do(method, "/admin/windows", `{"match":{"route":"GET /orders"},"duration":"1m","reason":"x"}`, hdr); code != http.StatusForbidden {
				t.Errorf("%s with %v: status %d, want 403", method, hdr, code)
			}
		}
	}
	if n := len(h.svc.windows.List()); n != 0 {
		t.Errorf("%d windows open", n)
	}
}

// TestBadInput: malformed, empty and oversized bodies and parameters get a
// clear client error, and nothing in them leaks.
func TestBadInput(t *testing.T) {
	h := newHarness(t, Config{Keys: testKeys, SampleRatio: 1})
	huge := strings.Repeat("x", 1<<20) + aliceEmail
	for _, c := range []struct {
		method, path, body, ct string
		want                   int
	}{
		{"POST", "/login", `{"email": "` + aliceEmail + `", "password": `, "application/json", 400},
		{"POST", "/login", "", "application/json", 400},
		{"POST", "/login", `{"email":"` + aliceEmail + `","password":"` + huge + `"}`, "application/json", 400},
		{"POST", "/login", "email=" + url.QueryEscape(aliceEmail) + "&password=" + huge, "application/x-www-form-urlencoded", 400},
		{"POST", "/login", "\xff\xfe" + aliceEmail, "application/json", 400},
		{"POST", "/login", `{"email":"\udcff` + aliceEmail + `","password":"` + wrongPassword + `"}`, "application/json", 401},
		{"GET", "/orders", "", "", 400},
		{"GET", "/export", "", "", 400},
	} {
		code, _ := h.do(c.method, c.path, c.body, map[string]string{"Content-Type": c.ct})
		if code != c.want {
			t.Errorf("%s %s %.40q: status %d, want %d", c.method, c.path, c.body, code, c.want)
		}
	}
	if err := h.svc.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{aliceEmail, wrongPassword} {
		if bytes.Contains(h.logs.Bytes(), []byte(c)) || bytes.Contains(h.spans.Bytes(), []byte(c)) {
			t.Errorf("canary %q leaked", c)
		}
	}
}

func TestUserToken(t *testing.T) {
	a, err := userToken(testKeys, aliceEmail)
	if err != nil {
		t.Fatal(err)
	}
	b, err := userToken(testKeys, " Alice@EXAMPLE.com ")
	if err != nil || a != b {
		t.Errorf("normalized address: %q, %v; want %q", b, err, a)
	}
	if _, err := userToken("", aliceEmail); err == nil || !strings.Contains(err.Error(), "VEIL_TOKEN_KEYS") {
		t.Errorf("no keys: error %v", err)
	}
	if _, err := userToken("k1:not-base64", aliceEmail); err == nil {
		t.Error("bad keys: no error")
	}
}

func TestThrowawayKeyWarns(t *testing.T) {
	var warn bytes.Buffer
	if _, err := newService(context.Background(), Config{Logs: io.Discard, Spans: io.Discard, Warnings: &warn}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(warn.String(), "throwaway key") {
		t.Errorf("no warning: %q", warn.String())
	}
	if _, err := newService(context.Background(), Config{Spans: io.Discard}); err == nil {
		t.Error("no Logs writer: no error")
	}
}
