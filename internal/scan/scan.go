// Package scan finds personal data and secrets in text.
//
// STUB: signatures fixed for other packages; the scan helper replaces the bodies.
package scan

// Kind identifies a detector.
type Kind uint8

// Detectors.
const (
	Email Kind = iota + 1
	Phone
	IPv4
	IPv6
	Card
	IBAN
	SSN
	JWT
	AWSAccessKey
	AWSSecretKey
	GitHubToken
	GitLabToken
	SlackToken
	StripeKey
	GoogleAPIKey
	PrivateKey
	BearerToken
	BasicAuth
	URLCredential
	GenericSecret
	numKinds
)

// Class groups detectors by what a match is.
type Class uint8

// Classes.
const (
	Identifier Class = iota + 1 // email, phone, IP: may be tokenized
	Secret                      // credentials and keys: always removed
	Payment                     // card numbers, IBAN: always removed
	Government                  // SSN: always removed
)

// String returns the detector's name, e.g. "email", "aws_access_key".
func (k Kind) String() string { return "" }

// Class reports the detector's class.
func (k Kind) Class() Class { return 0 }

// TokenKind returns the token kind for identifiers ("email", "phone", "ip"), "" otherwise.
func (k Kind) TokenKind() string { return "" }

// Placeholder returns the typed placeholder, e.g. "[EMAIL]", "[CARD]", "[SECRET]".
func (k Kind) Placeholder() string { return "" }

// Set is a set of detectors.
type Set uint32

// All is every detector.
const All Set = 1<<numKinds - 2

// Has reports whether k is in s.
func (s Set) Has(k Kind) bool { return s&(1<<k) != 0 }

// Match is one finding: text[Start:End] is the sensitive span.
type Match struct {
	Start, End int
	Kind       Kind
}

// Scanner runs a set of detectors. It is safe for concurrent use.
type Scanner struct{ set Set }

// New returns a scanner for the detectors in set.
func New(set Set) *Scanner { return &Scanner{set: set} }

// Scan appends the non-overlapping matches in text, in order, to dst.
func (s *Scanner) Scan(dst []Match, text string) []Match { return dst }
