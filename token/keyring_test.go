package token

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// canarySecret is recognizable key material; leak tests look for it (and its
// base64 and hex forms) in every output.
var canarySecret = []byte("CANARY-SECRET-do-not-print-0123456789")

// assertNoSecret fails if out contains secret in raw, base64 or hex form.
func assertNoSecret(t *testing.T, what, out string, secret []byte) {
	t.Helper()
	for _, form := range []string{
		string(secret),
		base64.StdEncoding.EncodeToString(secret),
		base64.RawURLEncoding.EncodeToString(secret),
		hex.EncodeToString(secret),
		fmt.Sprint(secret), // "[67 65 ...]"
		string(secret[:12]),
	} {
		if strings.Contains(out, form) {
			t.Errorf("%s leaks key material: %q", what, out)
			return
		}
	}
}

func TestNewKeyringErrors(t *testing.T) {
	good := bytes.Repeat([]byte{7}, 32)
	tests := []struct {
		name    string
		keys    []Key
		wantErr string
	}{
		{"no keys", nil, "at least one key"},
		{"short secret", []Key{{ID: "k1", Secret: canarySecret[:31]}}, "31 bytes, shorter than the minimum of 32"},
		{"empty secret", []Key{{ID: "k1"}}, "0 bytes, shorter"},
		{"empty id", []Key{{ID: "", Secret: good}}, "key id must be 1 to 16"},
		{"long id", []Key{{ID: "abcdefghijklmnopq", Secret: good}}, "key id must be 1 to 16"},
		{"upper id", []Key{{ID: "K1", Secret: good}}, "only [a-z0-9-]"},
		{"underscore id", []Key{{ID: "k_1", Secret: good}}, "only [a-z0-9-]"},
		{"secret as id", []Key{{ID: string(canarySecret[:14]), Secret: good}}, "only [a-z0-9-]"},
		{"duplicate", []Key{{ID: "k1", Secret: good}, {ID: "k1", Secret: canarySecret}}, `duplicate key id "k1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr, err := NewKeyring(tt.keys...)
			if err == nil || kr != nil {
				t.Fatalf("NewKeyring = %v, %v; want error", kr, err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not say %q", err, tt.wantErr)
			}
			assertNoSecret(t, "error", err.Error(), canarySecret[:14])
		})
	}
}

func TestKeyringCopiesSecrets(t *testing.T) {
	s := bytes.Clone(katK1)
	kr, err := NewKeyring(Key{ID: "k1", Secret: s})
	if err != nil {
		t.Fatal(err)
	}
	tk := New(kr)
	before := tk.Token(Email, "alice@example.com")
	for i := range s {
		s[i] ^= 0xff
	}
	// Tokenizers use the ring's own copy (its pad states), not s.
	if got := New(kr).Token(Email, "alice@example.com"); got != before {
		t.Errorf("token changed after caller mutated its secret: %q -> %q", before, got)
	}
	if got := kr.ExportSecrets(); got != "k1:"+base64.StdEncoding.EncodeToString(katK1) {
		t.Errorf("ExportSecrets after mutation = %q, want original secret", got)
	}
}

func TestKeyringAccessors(t *testing.T) {
	kr, err := NewKeyring(Key{ID: "k2", Secret: katK2}, Key{ID: "k1", Secret: katK1})
	if err != nil {
		t.Fatal(err)
	}
	if got := kr.PrimaryID(); got != "k2" {
		t.Errorf("PrimaryID = %q, want k2", got)
	}
	if got := strings.Join(kr.IDs(), ","); got != "k2,k1" {
		t.Errorf("IDs = %q, want k2,k1", got)
	}
	var nilRing *Keyring
	if nilRing.PrimaryID() != "" || nilRing.IDs() != nil || nilRing.ExportSecrets() != "" {
		t.Error("nil Keyring accessors should return zero values")
	}
}

// TestKeyringNoLeak formats a Key and a Keyring every way the issue lists and
// asserts the secret never appears.
func TestKeyringNoLeak(t *testing.T) {
	k := Key{ID: "k1", Secret: canarySecret}
	kr, err := NewKeyring(k, Key{ID: "k0", Secret: bytes.Repeat([]byte("x"), 32)})
	if err != nil {
		t.Fatal(err)
	}
	type holder struct {
		K    Key
		R    *Keyring
		key  Key      // unexported: fmt cannot call its methods
		ring Keyring  // unexported value: printed by reflection
		rp   *Keyring // unexported pointer
	}
	h := holder{K: k, R: kr, key: Key{ID: "k1"}, ring: *kr, rp: kr}
	var outs []string
	for _, v := range []any{k, &k, kr, *kr, h, &h, []Key{k}, map[string]*Keyring{"r": kr}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
			outs = append(outs, fmt.Sprintf(verb, v))
		}
		js, err := json.Marshal(v)
		if err != nil {
			t.Errorf("json.Marshal(%T): %v", v, err)
		}
		outs = append(outs, string(js))
		outs = append(outs, fmt.Sprint(v), fmt.Sprintln(v))
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "v", v)
		slog.New(slog.NewTextHandler(&buf, nil)).Info("m", "v", v)
		outs = append(outs, buf.String())
	}
	outs = append(outs, k.String(), k.GoString(), kr.String(), kr.GoString())
	for _, m := range []interface{ MarshalText() ([]byte, error) }{k, kr} {
		b, _ := m.MarshalText()
		outs = append(outs, string(b))
	}
	outs = append(outs, k.LogValue().String(), kr.LogValue().String())
	outs = append(outs, fmt.Errorf("wrapped: %v", k).Error(), fmt.Errorf("wrapped: %+v", kr).Error())
	for _, out := range outs {
		assertNoSecret(t, "output", out, canarySecret)
	}
	// The ids remain visible, which is the point of the redacted forms.
	if !strings.Contains(kr.String(), "k1") || !strings.Contains(fmt.Sprintf("%v", k), "k1") {
		t.Errorf("redacted forms should still show key ids: %v / %v", kr, k)
	}
}

func TestGenerateKey(t *testing.T) {
	a, err := GenerateKey("k3")
	if err != nil {
		t.Fatal(err)
	}
	b, err := GenerateKey("k3")
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != "k3" || len(a.Secret) != 32 {
		t.Fatalf("GenerateKey = id %q, %d bytes; want k3, 32 bytes", a.ID, len(a.Secret))
	}
	if bytes.Equal(a.Secret, b.Secret) {
		t.Error("two generated keys are equal")
	}
	if _, err := GenerateKey("Bad_ID"); err == nil {
		t.Error("GenerateKey accepted an invalid id")
	}
	// ExportSecret round-trips through ParseKeyring.
	kr, err := ParseKeyring(a.ExportSecret() + "," + b.ExportSecret()[:0] + "k1:" + base64.StdEncoding.EncodeToString(katK1))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := NewKeyring(a, Key{ID: "k1", Secret: katK1})
	if New(kr).Token(Email, "x@y.z") != New(want).Token(Email, "x@y.z") || kr.ExportSecrets() != want.ExportSecrets() {
		t.Error("ParseKeyring(ExportSecret) does not reproduce the key")
	}
}

func TestParseKeyring(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString
	raw := base64.RawURLEncoding.EncodeToString
	k1, k2 := b64(katK1), b64(katK2)
	tests := []struct {
		name    string
		in      string
		wantIDs string // "" means an error is expected
		wantErr string
	}{
		{"two keys", "k2:" + k2 + ",k1:" + k1, "k2,k1", ""},
		{"spaces and empty entries", "  k2 : " + k2 + " ,, k1:" + k1 + ",", "k2,k1", ""},
		{"raw url base64", "k1:" + raw(katK1), "k1", ""},
		{"empty", "", "", "keyring is empty"},
		{"only commas", " , ,", "", "keyring is empty"},
		{"missing colon", k1, "", "entry 1: missing ':'"},
		{"bad id", "K1:" + k1, "", "entry 1: key id must use only"},
		{"bad base64", "k1:" + string(canarySecret) + "!!", "", `entry 1: key "k1": secret is not valid base64`},
		{"empty secret", "k1:", "", "not valid base64"},
		{"short", "k1:" + b64(katK1[:16]), "", "16 bytes, shorter than the minimum of 32"},
		{"duplicate", "k1:" + k1 + ",k1:" + k2, "", `duplicate key id "k1"`},
		{"second entry bad", "k1:" + k1 + ",k2" + string(canarySecret), "", "entry 2: missing ':'"},
		{"secret in id position", string(canarySecret) + ":" + k1, "", "entry 1: key id must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr, err := ParseKeyring(tt.in)
			if tt.wantIDs != "" {
				if err != nil {
					t.Fatalf("ParseKeyring: %v", err)
				}
				if got := strings.Join(kr.IDs(), ","); got != tt.wantIDs {
					t.Errorf("ids = %q, want %q", got, tt.wantIDs)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseKeyring(%q) succeeded, want error", tt.in)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not say %q", err, tt.wantErr)
			}
			assertNoSecret(t, "ParseKeyring error", err.Error(), canarySecret)
			assertNoSecret(t, "ParseKeyring error", err.Error(), katK1)
			assertNoSecret(t, "ParseKeyring error", err.Error(), katK2)
			if strings.Contains(err.Error(), k1) || strings.Contains(err.Error(), k2) {
				t.Errorf("error echoes encoded secret: %q", err)
			}
		})
	}
}

func TestReadKeyringFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // umask-independent
			t.Fatal(err)
		}
		return p
	}
	k1, k2 := base64.StdEncoding.EncodeToString(katK1), base64.StdEncoding.EncodeToString(katK2)
	good := write("good", "# veil keys, primary first\n\nk2:"+k2+"\n  # old key\nk1:"+k1+"\n", 0o600)
	kr, err := ReadKeyringFile(good)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(kr.IDs(), ","); got != "k2,k1" {
		t.Errorf("ids = %q, want k2,k1", got)
	}

	tests := []struct {
		name    string
		path    string
		wantErr string
	}{
		{"missing", filepath.Join(dir, "nope"), "opening keyring file"},
		{"directory", dir, "not a regular file"},
		{"empty", write("empty", "# nothing\n\n", 0o600), "has no keys"},
		{"bad line", write("bad", "k1:"+k1+"\n"+string(canarySecret)+"\n", 0o600), "line 2: missing ':'"},
		{"bad base64", write("b64", "k1:"+string(canarySecret)+"\n", 0o600), `line 1: key "k1": secret is not valid base64`},
		{"too big", write("big", strings.Repeat("#\n", 1<<20), 0o600), "larger than 1 MiB"},
	}
	if runtime.GOOS != "windows" && runtime.GOOS != "plan9" {
		tests = append(tests,
			struct{ name, path, wantErr string }{"world readable", write("world", "k1:"+k1+"\n", 0o644), "chmod 600"},
			struct{ name, path, wantErr string }{"group readable", write("group", "k1:"+k1+"\n", 0o640), "open to group or others"},
		)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr, err := ReadKeyringFile(tt.path)
			if err == nil {
				t.Fatalf("ReadKeyringFile = %v, want error", kr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not say %q", err, tt.wantErr)
			}
			assertNoSecret(t, "ReadKeyringFile error", err.Error(), canarySecret)
			assertNoSecret(t, "ReadKeyringFile error", err.Error(), katK1)
			if strings.Contains(err.Error(), k1) {
				t.Errorf("error echoes encoded secret: %q", err)
			}
		})
	}
	var pe *os.PathError
	if _, err := ReadKeyringFile(filepath.Join(dir, "nope")); !errors.As(err, &pe) {
		t.Errorf("missing-file error should wrap *os.PathError, got %T", err)
	}
}
