package scan

import (
	"strings"
	"testing"
)

func TestKinds(t *testing.T) {
	tests := []struct {
		k           Kind
		name        string
		class       Class
		token, hold string
	}{
		{Email, "email", Identifier, "email", "[EMAIL]"},
		{Phone, "phone", Identifier, "phone", "[PHONE]"},
		{IPv4, "ipv4", Identifier, "ip", "[IP]"},
		{IPv6, "ipv6", Identifier, "ip", "[IP]"},
		{Card, "card", Payment, "", "[CARD]"},
		{IBAN, "iban", Payment, "", "[IBAN]"},
		{SSN, "ssn", Government, "", "[SSN]"},
		{JWT, "jwt", Secret, "", "[SECRET]"},
		{AWSAccessKey, "aws_access_key", Secret, "", "[SECRET]"},
		{AWSSecretKey, "aws_secret_key", Secret, "", "[SECRET]"},
		{GitHubToken, "github_token", Secret, "", "[SECRET]"},
		{GitLabToken, "gitlab_token", Secret, "", "[SECRET]"},
		{SlackToken, "slack_token", Secret, "", "[SECRET]"},
		{StripeKey, "stripe_key", Secret, "", "[SECRET]"},
		{GoogleAPIKey, "google_api_key", Secret, "", "[SECRET]"},
		{VendorToken, "vendor_token", Secret, "", "[SECRET]"},
		{PrivateKey, "private_key", Secret, "", "[SECRET]"},
		{BearerToken, "bearer_token", Secret, "", "[SECRET]"},
		{BasicAuth, "basic_auth", Secret, "", "[SECRET]"},
		{URLCredential, "url_credential", Secret, "", "[SECRET]"},
		{GenericSecret, "generic_secret", Secret, "", "[SECRET]"},
		{PasswordHash, "password_hash", Secret, "", "[SECRET]"},
	}
	if len(tests) != int(numKinds)-1 {
		t.Fatalf("table covers %d kinds, want %d", len(tests), numKinds-1)
	}
	for _, tt := range tests {
		if got := tt.k.String(); got != tt.name {
			t.Errorf("Kind(%d).String() = %q, want %q", tt.k, got, tt.name)
		}
		if got := tt.k.Class(); got != tt.class {
			t.Errorf("%v.Class() = %v, want %v", tt.k, got, tt.class)
		}
		if got := tt.k.TokenKind(); got != tt.token {
			t.Errorf("%v.TokenKind() = %q, want %q", tt.k, got, tt.token)
		}
		if got := tt.k.Placeholder(); got != tt.hold {
			t.Errorf("%v.Placeholder() = %q, want %q", tt.k, got, tt.hold)
		}
		if k, err := ParseKind(strings.ToUpper(tt.name)); err != nil || k != tt.k {
			t.Errorf("ParseKind(%q) = %v, %v", tt.name, k, err)
		}
		if !All.Has(tt.k) {
			t.Errorf("All lacks %v", tt.k)
		}
	}
}

func TestUnknownKind(t *testing.T) {
	for _, k := range []Kind{0, numKinds, 255} {
		if got := k.String(); !strings.HasPrefix(got, "scan.Kind(") {
			t.Errorf("Kind(%d).String() = %q", k, got)
		}
		if k.Class() != 0 || k.TokenKind() != "" {
			t.Errorf("Kind(%d) has class %v, token kind %q", k, k.Class(), k.TokenKind())
		}
		if got := k.Placeholder(); got != "[REDACTED]" {
			t.Errorf("Kind(%d).Placeholder() = %q, want [REDACTED] (never empty)", k, got)
		}
		if All.Has(k) || Set(0xffffffff).Has(k) {
			t.Errorf("a set has unknown kind %d", k)
		}
	}
	if got := Class(9).String(); got != "scan.Class(9)" {
		t.Errorf("Class(9).String() = %q", got)
	}
	for c, want := range map[Class]string{Identifier: "identifier", Secret: "secret", Payment: "payment", Government: "government"} {
		if c.String() != want {
			t.Errorf("%d.String() = %q, want %q", c, c.String(), want)
		}
	}
}

func TestParseKindError(t *testing.T) {
	for _, name := range []string{"", "mail", "e-mail", "ipv5", "\xff"} {
		k, err := ParseKind(name)
		if err == nil || k != 0 {
			t.Fatalf("ParseKind(%q) = %v, %v; want an error", name, k, err)
		}
		if !strings.Contains(err.Error(), "unknown detector") || !strings.Contains(err.Error(), "email") {
			t.Errorf("error %q should name the problem and list the detectors", err)
		}
	}
}

func TestSet(t *testing.T) {
	s := SetOf(Email, Card, 0, numKinds)
	if !s.Has(Email) || !s.Has(Card) || s.Has(Phone) || s.Has(0) {
		t.Errorf("SetOf(Email, Card) = %b", s)
	}
	if SetOf() != 0 {
		t.Error("SetOf() is not empty")
	}
	var all Set
	for k := Kind(1); k < numKinds; k++ {
		all |= SetOf(k)
	}
	if all != All {
		t.Errorf("union of every kind = %b, All = %b", all, All)
	}
	if got := New(Set(0xffffffff)).Set(); got != All {
		t.Errorf("New ignores kinds outside All: got %b", got)
	}
}
