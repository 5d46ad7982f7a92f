package main

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/token"
)

// exec runs the CLI in-process with env set for the duration of the call.
func exec(t *testing.T, env string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("VEIL_TOKEN_KEYS", env)
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

const (
	secret1 = "first-test-key-material-0000000000000000"
	secret2 = "second-test-key-material-111111111111111"
)

func keys(ids ...string) string {
	var parts []string
	for i, id := range ids {
		s := secret1
		if i%2 == 1 {
			s = secret2
		}
		parts = append(parts, id+":"+base64.StdEncoding.EncodeToString([]byte(s)))
	}
	return strings.Join(parts, ",")
}

func TestKeygen(t *testing.T) {
	code, out, _ := exec(t, "", "", "keygen", "-id", "k7")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	kr, err := token.ParseKeyring(strings.TrimSpace(out))
	if err != nil {
		t.Fatalf("keygen output does not parse as a keyring: %v", err)
	}
	if kr.PrimaryID() != "k7" {
		t.Fatalf("primary id %q, want k7", kr.PrimaryID())
	}
	_, out2, _ := exec(t, "", "", "keygen", "-id", "k7")
	if out == out2 {
		t.Fatal("two keygen runs printed the same key")
	}
	if code, _, errs := exec(t, "", "", "keygen", "-id", "Bad_ID"); code != 2 || errs == "" {
		t.Fatalf("bad id: exit %d, stderr %q", code, errs)
	}
}

func TestTokenRotation(t *testing.T) {
	// Under k1 alone, then with k2 as the new primary: the old token is still a candidate.
	code, old, _ := exec(t, keys("k1"), "", "token", "-kind", "email", "Alice@Example.com")
	if code != 0 || !strings.HasPrefix(old, "tok_k1_") {
		t.Fatalf("exit %d, out %q", code, old)
	}
	both := "k2:" + base64.StdEncoding.EncodeToString([]byte(secret2)) + ",k1:" + base64.StdEncoding.EncodeToString([]byte(secret1))
	code, out, _ := exec(t, both, "", "token", "-kind", "email", "alice@example.com")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	cands := strings.Fields(out)
	if len(cands) != 2 || !strings.HasPrefix(cands[0], "tok_k2_") || cands[1] != strings.TrimSpace(old) {
		t.Fatalf("candidates %q do not end with the k1 token %q", cands, old)
	}
	if strings.Contains(out, "alice") {
		t.Fatal("token output echoes the value")
	}
}

func TestTokenErrorsDoNotLeakKeys(t *testing.T) {
	// A malformed keyring (short secret) must be refused without echoing it.
	short := "k1:" + base64.StdEncoding.EncodeToString([]byte("short-secret-xyz"))
	code, out, errs := exec(t, short, "", "token", "alice@example.com")
	if code != 2 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	for _, leak := range []string{"short-secret-xyz", base64.StdEncoding.EncodeToString([]byte("short-secret-xyz"))} {
		if strings.Contains(errs, leak) {
			t.Fatalf("error output leaks key material: %q", errs)
		}
	}
	if code, _, errs := exec(t, "", "", "token", "alice@example.com"); code != 2 || !strings.Contains(errs, "VEIL_TOKEN_KEYS") {
		t.Fatalf("no keys: exit %d, stderr %q", code, errs)
	}
	if code, _, _ := exec(t, keys("k1"), "", "token"); code != 2 {
		t.Fatalf("no values: exit %d", code)
	}
}

func TestTokenKeysFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(p, []byte("# test keys\n"+keys("k1")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, want, _ := exec(t, keys("k1"), "", "token", "bob@example.org")
	code, got, errs := exec(t, "", "", "token", "-keys", p, "bob@example.org")
	if code != 0 || got != want {
		t.Fatalf("exit %d (%s): file gives %q, env gives %q", code, errs, got, want)
	}
}

var canaries = []string{"alice@example.com", "4111 1111 1111 1111", "AKIAIOSFODNN7EXAMPLE", "hunter2xyz9"}

const dirty = "login alice@example.com card 4111 1111 1111 1111\nclean line trace=4bf92f3577b34da6a3ce929d0e0e4736\nkey AKIAIOSFODNN7EXAMPLE password=hunter2xyz9\n"

func TestScan(t *testing.T) {
	code, out, _ := exec(t, "", dirty, "scan")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	if n := strings.Count(out, "\n"); n != 3 {
		t.Fatalf("%d lines out, want 3:\n%s", n, out)
	}
	for _, c := range canaries {
		if strings.Contains(out, c) {
			t.Errorf("scan output leaks %q:\n%s", c, out)
		}
	}
	if !strings.Contains(out, "clean line trace=4bf92f3577b34da6a3ce929d0e0e4736") {
		t.Errorf("clean line changed:\n%s", out)
	}

	// With keys, identifiers become tokens.
	_, out, _ = exec(t, keys("k1"), dirty, "scan")
	if !strings.Contains(out, "login tok_k1_") {
		t.Errorf("with keys, email not tokenized:\n%s", out)
	}
}

func TestScanCheck(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.log")
	good := filepath.Join(dir, "good.log")
	os.WriteFile(bad, []byte(dirty), 0o600)
	os.WriteFile(good, []byte("GET /healthz 200 1.2ms\nversion v1.2.3\n"), 0o600)

	code, out, _ := exec(t, "", "", "scan", "-check", good)
	if code != 0 || out != "" {
		t.Fatalf("clean file: exit %d, out %q", code, out)
	}
	code, out, _ = exec(t, "", "", "scan", "-check", good, bad)
	if code != 1 {
		t.Fatalf("dirty file: exit %d, want 1", code)
	}
	for _, want := range []string{bad + ":1:", bad + ":3:"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, bad+":2:") {
		t.Errorf("clean line reported:\n%s", out)
	}
	for _, c := range canaries {
		if strings.Contains(out, c) {
			t.Errorf("check report leaks %q", c)
		}
	}
	if code, _, errs := exec(t, "", "", "scan", filepath.Join(dir, "missing")); code != 2 || errs == "" {
		t.Fatalf("missing file: exit %d", code)
	}
}

func TestUsage(t *testing.T) {
	if code, _, errs := exec(t, "", "", "frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if code, _, errs := exec(t, "", ""); code != 2 || !strings.Contains(errs, "Usage") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if code, out, _ := exec(t, "", "", "help"); code != 0 || !strings.Contains(out, "veil keygen") {
		t.Fatalf("help: exit %d", code)
	}
}
