package scan

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind identifies a detector.
type Kind uint8

// Detectors. See the package documentation for what each one matches and how a
// candidate is validated.
const (
	Email         Kind = iota + 1 // e-mail address
	Phone                         // telephone number, E.164 or a common national format
	IPv4                          // IPv4 address
	IPv6                          // IPv6 address
	Card                          // payment card number (PAN)
	IBAN                          // international bank account number
	SSN                           // US social security number
	JWT                           // JSON Web Token
	AWSAccessKey                  // AWS access key id (AKIA…, ASIA…)
	AWSSecretKey                  // AWS secret access key, anchored by its key name
	GitHubToken                   // GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)
	GitLabToken                   // GitLab token (glpat-, glrt-, gldt-)
	SlackToken                    // Slack token (xox?-, xapp-) or incoming-webhook path
	StripeKey                     // Stripe key (sk_live_, rk_test_, whsec_, …)
	GoogleAPIKey                  // Google API key (AIza…)
	VendorToken                   // another vendor's API token: OpenAI, Anthropic (sk-…), xAI, Groq, npm, Hugging Face, SendGrid, DigitalOcean, Shopify, PyPI, Telegram bots, Square, Discord webhooks, Vault, age, Azure AD
	PrivateKey                    // PEM private-key block
	BearerToken                   // credential after "Bearer "
	BasicAuth                     // credential after "Basic "
	URLCredential                 // user:password in a URL's userinfo
	GenericSecret                 // value of a secret-like key (password=…, "token": "…")
	PasswordHash                  // password hash in a crypt format ($2b$…, $argon2id$…, pbkdf2_sha256$…)
	numKinds
)

var kindNames = [numKinds]string{
	Email:         "email",
	Phone:         "phone",
	IPv4:          "ipv4",
	IPv6:          "ipv6",
	Card:          "card",
	IBAN:          "iban",
	SSN:           "ssn",
	JWT:           "jwt",
	AWSAccessKey:  "aws_access_key",
	AWSSecretKey:  "aws_secret_key",
	GitHubToken:   "github_token",
	GitLabToken:   "gitlab_token",
	SlackToken:    "slack_token",
	StripeKey:     "stripe_key",
	GoogleAPIKey:  "google_api_key",
	VendorToken:   "vendor_token",
	PrivateKey:    "private_key",
	BearerToken:   "bearer_token",
	BasicAuth:     "basic_auth",
	URLCredential: "url_credential",
	GenericSecret: "generic_secret",
	PasswordHash:  "password_hash",
}

func (k Kind) valid() bool { return k > 0 && k < numKinds }

// String returns the detector's name, e.g. "email", "aws_access_key".
// An unknown kind prints as "scan.Kind(N)".
func (k Kind) String() string {
	if !k.valid() {
		return "scan.Kind(" + strconv.Itoa(int(k)) + ")"
	}
	return kindNames[k]
}

// Class reports the detector's class. It is 0 for an unknown kind.
func (k Kind) Class() Class {
	switch {
	case k == Email, k == Phone, k == IPv4, k == IPv6:
		return Identifier
	case k == Card, k == IBAN:
		return Payment
	case k == SSN:
		return Government
	case k.valid():
		return Secret
	}
	return 0
}

// TokenKind returns the kind under which a match is tokenized: "email",
// "phone" or "ip" (for both IPv4 and IPv6) for identifiers, "" for every other
// kind, which is removed rather than tokenized.
func (k Kind) TokenKind() string {
	switch k {
	case Email:
		return "email"
	case Phone:
		return "phone"
	case IPv4, IPv6:
		return "ip"
	}
	return ""
}

// Placeholder returns the typed placeholder that replaces a match: "[EMAIL]",
// "[PHONE]", "[IP]", "[CARD]", "[IBAN]", "[SSN]", and "[SECRET]" for every
// secret kind. An unknown kind gets "[REDACTED]", so a placeholder is never empty.
func (k Kind) Placeholder() string {
	switch k {
	case Email:
		return "[EMAIL]"
	case Phone:
		return "[PHONE]"
	case IPv4, IPv6:
		return "[IP]"
	case Card:
		return "[CARD]"
	case IBAN:
		return "[IBAN]"
	case SSN:
		return "[SSN]"
	}
	if k.Class() == Secret {
		return "[SECRET]"
	}
	return "[REDACTED]"
}

// ParseKind returns the kind whose String is name (case-insensitive).
func ParseKind(name string) (Kind, error) {
	for k := Kind(1); k < numKinds; k++ {
		if strings.EqualFold(name, kindNames[k]) {
			return k, nil
		}
	}
	return 0, fmt.Errorf("scan: unknown detector %q; use one of %s", name, strings.Join(kindNames[1:], ", "))
}

// Class groups detectors by what a match is.
type Class uint8

// Classes.
const (
	Identifier Class = iota + 1 // email, phone, IP: may be tokenized
	Secret                      // credentials and keys: always removed
	Payment                     // card numbers, IBAN: always removed
	Government                  // SSN: always removed
)

// String returns the class name: "identifier", "secret", "payment" or "government".
func (c Class) String() string {
	switch c {
	case Identifier:
		return "identifier"
	case Secret:
		return "secret"
	case Payment:
		return "payment"
	case Government:
		return "government"
	}
	return "scan.Class(" + strconv.Itoa(int(c)) + ")"
}

// rank orders classes for merging overlapping matches: the stricter class wins.
func (c Class) rank() int {
	switch c {
	case Secret:
		return 4
	case Payment:
		return 3
	case Government:
		return 2
	case Identifier:
		return 1
	}
	return 0
}

// Set is a set of detectors.
type Set uint32

// All is every detector.
const All Set = 1<<numKinds - 2

// SetOf returns the set of the given kinds; unknown kinds are ignored.
func SetOf(kinds ...Kind) Set {
	var s Set
	for _, k := range kinds {
		if k.valid() {
			s |= 1 << k
		}
	}
	return s
}

// Has reports whether k is in s.
func (s Set) Has(k Kind) bool { return k.valid() && s&(1<<k) != 0 }
