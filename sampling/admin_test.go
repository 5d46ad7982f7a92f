package sampling

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func allowAs(actor string) func(*http.Request) (string, error) {
	return func(r *http.Request) (string, error) {
		if r.Header.Get("Authorization") != "Bearer ok" {
			return "", errors.New("bad credentials")
		}
		return actor, nil
	}
}

func do(t *testing.T, h http.Handler, method, target, body string, hdr map[string]string) (*http.Response, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	var m map[string]any
	if b, _ := io.ReadAll(res.Body); len(b) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("response is not JSON: %q", b)
		}
	}
	return res, m
}

const goodBody = `{"match":{"route":"/checkout"},"level":"DEBUG","rate":0.5,"duration":"15m","reason":"INC-7"}`

var auth = map[string]string{"Authorization": "Bearer ok"}

func TestAdminRefusesWithoutAuthorizer(t *testing.T) {
	for _, authorize := range []func(*http.Request) (string, error){
		nil,
		allowAs("alice"), // but no credentials sent
		func(*http.Request) (string, error) { return "", nil }, // no actor
	} {
		ws := NewWindows()
		h := ws.AdminHandler(authorize)
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodPut} {
			res, body := do(t, h, m, "/?id=x", goodBody, nil)
			if res.StatusCode != http.StatusForbidden || body["error"] == "" {
				t.Errorf("%s: status %d body %v, want 403", m, res.StatusCode, body)
			}
		}
		if len(ws.List()) != 0 {
			t.Error("a refused request opened a window")
		}
	}
}

func TestAdminLifecycle(t *testing.T) {
	ev := &eventLog{}
	ws := NewWindows(WithHook(ev.hook))
	h := ws.AdminHandler(allowAs("alice@ops"))

	res, body := do(t, h, http.MethodPost, "/", goodBody, auth)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST: %d %v", res.StatusCode, body)
	}
	id, _ := body["id"].(string)
	if body["actor"] != "alice@ops" || body["rate"] != 0.5 || body["duration"] != "15m0s" || body["level"] != "DEBUG" {
		t.Errorf("POST body = %v", body)
	}
	exp, err := time.Parse(time.RFC3339Nano, body["expires"].(string))
	if err != nil || time.Until(exp) > 15*time.Minute || time.Until(exp) < 14*time.Minute {
		t.Errorf("expires = %v (%v)", body["expires"], err)
	}

	res, body = do(t, h, http.MethodGet, "/", "", auth)
	list, _ := body["windows"].([]any)
	if res.StatusCode != http.StatusOK || len(list) != 1 || list[0].(map[string]any)["id"] != id {
		t.Fatalf("GET: %d %v", res.StatusCode, body)
	}

	res, _ = do(t, h, http.MethodDelete, "/?id="+id, "", auth)
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE: %d", res.StatusCode)
	}
	res, body = do(t, h, http.MethodDelete, "/?id="+id, "", auth)
	if res.StatusCode != http.StatusNotFound || body["error"] == "" {
		t.Errorf("second DELETE: %d %v", res.StatusCode, body)
	}
	if k := ev.kinds(); k != "opened,closed" {
		t.Errorf("events = %s", k)
	}
	if res, _ := do(t, h, http.MethodPatch, "/", "", auth); res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") == "" {
		t.Errorf("PATCH: %d", res.StatusCode)
	}
}

func TestAdminBadInput(t *testing.T) {
	const secret = "canary-admin-31f7"
	tests := []struct {
		name   string
		body   string
		ctype  string
		status int
		errHas string
	}{
		{"empty", "", "application/json", 400, "empty"},
		{"not json", "{" + secret, "application/json", 400, "not valid JSON"},
		{"truncated", `{"match":{"route":"` + secret, "application/json", 400, "truncated"},
		{"array", `[1,2]`, "application/json", 400, "JSON object"},
		{"unknown field actor", `{"actor":"` + secret + `","duration":"1m"}`, "application/json", 400, "unknown field"},
		{"wrong type", `{"rate":"` + secret + `"}`, "application/json", 400, `"rate" must be a JSON number`},
		{"two objects", goodBody + goodBody, "application/json", 400, "single JSON object"},
		{"no duration", `{"match":{"route":"/a"},"reason":"r"}`, "application/json", 400, "never indefinite"},
		{"zero duration", `{"match":{"route":"/a"},"reason":"r","duration":"0s"}`, "application/json", 400, "positive duration"},
		{"bad duration", `{"match":{"route":"/a"},"reason":"r","duration":"` + secret + `"}`, "application/json", 400, "not a duration"},
		{"beyond cap", `{"match":{"route":"/a"},"reason":"r","duration":"2h"}`, "application/json", 400, "exceeds the maximum"},
		{"bad level", `{"match":{"route":"/a"},"reason":"r","duration":"1m","level":"` + secret + `"}`, "application/json", 400, "level name"},
		{"bad rate", `{"match":{"route":"/a"},"reason":"r","duration":"1m","rate":2}`, "application/json", 400, "outside (0, 1]"},
		{"no match", `{"reason":"r","duration":"1m"}`, "application/json", 400, "needs a match"},
		{"invalid utf8", "{\"match\":{\"route\":\"/a\"},\"reason\":\"\xff" + secret + "\",\"duration\":\"1m\"}", "application/json", 400, "UTF-8"},
		{"huge", `{"reason":"` + strings.Repeat("a", MaxAdminBody) + secret + `"}`, "application/json", 413, "exceeds"},
		{"huge after object", goodBody + strings.Repeat(" ", MaxAdminBody), "application/json", 413, "exceeds"},
		{"wrong content type", goodBody, "text/plain", 415, "application/json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ws := NewWindows()
			h := ws.AdminHandler(allowAs("alice"))
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", tc.ctype)
			req.Header.Set("Authorization", "Bearer ok")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			raw := rec.Body.String()
			if rec.Code != tc.status {
				t.Errorf("status %d, want %d (%s)", rec.Code, tc.status, raw)
			}
			var m map[string]string
			if err := json.Unmarshal([]byte(raw), &m); err != nil || !strings.Contains(m["error"], tc.errHas) {
				t.Errorf("error %q, want it to mention %q", raw, tc.errHas)
			}
			if strings.Contains(raw, secret) {
				t.Errorf("response echoes input: %s", raw)
			}
			if len(ws.List()) != 0 {
				t.Error("bad input opened a window")
			}
		})
	}
}

func TestAdminDeleteNeedsID(t *testing.T) {
	h := NewWindows().AdminHandler(allowAs("a"))
	if res, body := do(t, h, http.MethodDelete, "/", "", auth); res.StatusCode != http.StatusBadRequest || !strings.Contains(body["error"].(string), "id") {
		t.Errorf("%d %v", res.StatusCode, body)
	}
}

func FuzzAdminOpen(f *testing.F) {
	f.Add(goodBody)
	f.Add(`{"match":{"attr_key":"k","attr_value":"v"},"duration":"59m","reason":"x","rate":1e-300}`)
	f.Add(`{"match":{"user":"\u0000"},"duration":"-1h","reason":""}`)
	f.Add(`{"level":"DEBUG+999999999999","duration":"1ns"}`)
	f.Fuzz(func(t *testing.T, body string) {
		ws := NewWindows()
		h := ws.AdminHandler(allowAs("fuzzer"))
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer ok")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusCreated:
			list := ws.List()
			if len(list) != 1 {
				t.Fatalf("201 but %d windows", len(list))
			}
			w := list[0]
			if w.Spec.Duration <= 0 || w.Spec.Duration > DefaultMaxWindowDuration || w.Spec.Actor != "fuzzer" ||
				!(w.Spec.Rate > 0 && w.Spec.Rate <= 1) || w.Spec.Match.empty() {
				t.Fatalf("invalid window opened: %+v", w)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			if len(ws.List()) != 0 {
				t.Fatal("error status but a window opened")
			}
		default:
			t.Fatalf("unexpected status %d", rec.Code)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("response is not JSON: %q", rec.Body.String())
		}
	})
}
