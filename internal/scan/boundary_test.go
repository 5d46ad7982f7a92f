package scan

import (
	"strings"
	"testing"
)

// boundarySample is one valid value of a detector, as it is written (text)
// and as it is matched (span, inside text), with the punctuation its own
// grammar gives a meaning to next to it. Those bytes are not asserted by
// TestBoundaries (the text then reads as another token); the decisions they
// stand for are pinned by TestBoundaryGrammar.
type boundarySample struct {
	name string
	text string
	span string
	kind Kind
	pre  string // bytes that, before text, are part of its grammar
	word string // bytes that, between a word and text, join the two
	post string // bytes that, after text, are part of its grammar
}

// valueBytes is the punctuation an unquoted value may contain ("p@ss!w0rd"),
// and '=' (padding, or "a=b=c").
const valueBytes = "!#$%*+-./:?@^_|~="

const asciiPunct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

var boundarySamples = []boundarySample{
	{name: "email", text: "alice@example.com", kind: Email, word: ".%+-"},
	{name: "e164", text: "+14155550132", kind: Phone, pre: "+"},
	{name: "paren", text: "(555) 123-4567", kind: Phone},
	{name: "nanp-dash", text: "555-123-4567", kind: Phone, pre: "+", word: "-"},
	{name: "nanp-dot", text: "555.123.4567", kind: Phone, pre: "+", word: "-"},
	{name: "ipv4", text: "203.0.113.42", kind: IPv4, pre: ".", post: "-."},
	{name: "ipv6", text: "2001:db8::8a2e:370:7334", kind: IPv6, pre: ".:"},
	{name: "ipv6-hex", text: "fe80::1ff:fe23:4567:890a", kind: IPv6, pre: ".:"},
	{name: "card", text: "4111111111111111", kind: Card, word: "-"},
	{name: "card-spaced", text: "4111 1111 1111 1111", kind: Card, word: "-"},
	{name: "card-dashed", text: "4111-1111-1111-1111", kind: Card, word: "-"},
	{name: "amex", text: "378282246310005", kind: Card, word: "-"},
	{name: "iban", text: "DE89370400440532013000", kind: IBAN},
	{name: "iban-spaced", text: "GB82 WEST 1234 5698 7654 32", kind: IBAN},
	{name: "ssn", text: "078-05-1120", kind: SSN, word: "-"},
	{name: "jwt", text: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl", kind: JWT, post: "-"},
	{name: "aws-access", text: "AKIAIOSFODNN7EXAMPLE", kind: AWSAccessKey},
	{name: "aws-secret", text: "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", span: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", kind: AWSSecretKey, post: valueBytes},
	{name: "github", text: "ghp_R2d2C3poLuk3Skyw4lk3rH4nS0l0Ch3wb4cc4", kind: GitHubToken},
	{name: "gitlab", text: "glpat-9zXq8WvU7tS6rR5pQ4oN", kind: GitLabToken, post: "-"},
	{name: "slack", text: "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy", kind: SlackToken, post: "-"},
	{name: "slack-hook", text: "hooks.slack.com/services/T024BE7LD/B0F1A2B3C4D/zxCvBnM1234567890qwertyu", span: "T024BE7LD/B0F1A2B3C4D/zxCvBnM1234567890qwertyu", kind: SlackToken, post: "-/"},
	{name: "stripe", text: "sk_live_51HqLyjWDarjtT1zdp7dcXyZ", kind: StripeKey},
	{name: "google", text: "AIzaSyA1B2C3D4E5F6G7H8I9J0KLMNOPQRSTUVW", kind: GoogleAPIKey, post: "-"},
	{name: "openai", text: "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0f", kind: VendorToken, post: "-"},
	{name: "npm", text: "npm_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c", kind: VendorToken},
	{name: "sendgrid", text: "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", kind: VendorToken, post: "-"},
	{name: "digitalocean", text: "dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", kind: VendorToken},
	{name: "pem", text: "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuw\n-----END EC PRIVATE KEY-----", kind: PrivateKey},
	{name: "bearer", text: "Bearer mF_9.B5f-4.1JqM", span: "mF_9.B5f-4.1JqM", kind: BearerToken, post: "+-./=~"},
	{name: "basic", text: "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", span: "QWxhZGRpbjpvcGVuIHNlc2FtZQ==", kind: BasicAuth},
	{name: "url-credential", text: "https://bob:pa55@host", span: "bob:pa55", kind: URLCredential, post: "@"},
	{name: "generic", text: "password=hunter2xyz", span: "hunter2xyz", kind: GenericSecret, post: valueBytes},
}

// boundaryContexts are places a value sits in real text: URL paths and query
// strings, JSON strings (also escaped inside another string), key=value and
// key: value pairs, brackets, and URL escapes.
var boundaryContexts = [][2]string{
	{"GET /users/", "/orders?x=1"},
	{"GET /users/", " HTTP/1.1"},
	{"span GET /users/", ""},
	{"/search?q=", "&page=2"},
	{"/search?a=1&v=", "#frag"},
	{"path=/u/", ""},
	{`{"v":"`, `"}`},
	{`{"v":["`, `","x"]}`},
	{`{"msg":"line\n`, `\tend"}`},
	{`{"msg":"a\u0020`, `\r\n"}`},
	{`msg="{\"v\":\"`, `\"}"`},
	{"v=", " next=1"},
	{"v=", ",w=1"},
	{"v: ", "; w: 1"},
	{"v='", "'"},
	{"id:", ""},
	{"x.", "."},
	{"[", "]"},
	{"(", ")"},
	{"<", ">"},
	{"{", "}"},
	{"/q?v=%22", "%22&x=1"},
	{"/a%2F", "%2Fb"},
	{"q=a%20", "%20b"},
}

// urlEscapeBefore reports whether p written before s would read as an
// escape sequence: '%' and two hex digits, or '\' and n, r, t, b, f or u.
func urlEscapeBefore(p byte, s string) bool {
	switch p {
	case '%':
		return len(s) >= 2 && cls[s[0]]&cls[s[1]]&cHex != 0
	case '\\':
		return escLetter[s[0]] || s[0] == 'u'
	}
	return false
}

// TestBoundaries places a valid value of every detector after and before
// every ASCII punctuation byte, and in common contexts, and asserts the
// exact span and kind. Exceptions: '_' is a word byte (it joins, as in \w);
// a '%' or '\' that makes an escape sequence with the value's first bytes
// is read as that escape; and the bytes each sample lists as its grammar.
func TestBoundaries(t *testing.T) {
	for _, c := range []byte(asciiPunct) {
		if in := cls[c]&cValue != 0; in != strings.ContainsRune(valueBytes, rune(c)) && c != '=' {
			t.Fatalf("valueBytes out of date for %q", c)
		}
	}
	s := New(All)
	check := func(t *testing.T, sm boundarySample, pre, post string) {
		t.Helper()
		span := sm.span
		if span == "" {
			span = sm.text
		}
		text := pre + sm.text + post
		off := len(pre) + strings.Index(sm.text, span)
		want := Match{Start: off, End: off + len(span), Kind: sm.kind}
		got := s.Scan(nil, text)
		checkMatches(t, text, got)
		for _, m := range got {
			if m == want {
				return
			}
		}
		t.Errorf("%s: Scan(%q) = %s, want %v:%q", sm.name, text, render(text, got), sm.kind, span)
	}
	for _, sm := range boundarySamples {
		t.Run(sm.name, func(t *testing.T) {
			for _, p := range []byte(asciiPunct) {
				if p == '_' {
					continue
				}
				ps := string(p)
				if !strings.Contains(sm.pre, ps) && !urlEscapeBefore(p, sm.text) {
					check(t, sm, " "+ps, " ")
					check(t, sm, ps, "")
					if !strings.Contains(sm.word, ps) {
						check(t, sm, "w"+ps, " ")
						check(t, sm, "GET /x"+ps, "")
					}
				}
				if !strings.Contains(sm.post, ps) {
					check(t, sm, " ", ps+" ")
					check(t, sm, "", ps)
					check(t, sm, " ", ps+"w")
				}
			}
			for _, c := range boundaryContexts {
				last := c[0][len(c[0])-1:]
				wordThenLast := len(c[0]) >= 2 && is(c[0], len(c[0])-2, cWord)
				if (c[1] != "" && strings.Contains(sm.post, c[1][:1])) ||
					strings.Contains(sm.pre, last) || (wordThenLast && strings.Contains(sm.word, last)) {
					continue
				}
				check(t, sm, c[0], c[1])
			}
		})
	}
}

// TestBoundaryGrammar pins the decisions TestBoundaries leaves out: where a
// punctuation byte next to a value is part of some grammar.
func TestBoundaryGrammar(t *testing.T) {
	runCases(t, []detectCase{
		// The reported gaps.
		{"span GET /users/4111 1111 1111 1111", []string{"card:4111 1111 1111 1111"}},
		{"/keys/AKIAIOSFODNN7EXAMPLE", []string{"aws_access_key:AKIAIOSFODNN7EXAMPLE"}},
		{"path=/u/alice@example.com", []string{"email:alice@example.com"}},
		{"id:4111111111111111", []string{"card:4111111111111111"}},
		{"/(555) 123-4567", []string{"phone:(555) 123-4567"}},
		{"x.AKIAIOSFODNN7EXAMPLE", []string{"aws_access_key:AKIAIOSFODNN7EXAMPLE"}},
		{"jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl", []string{"jwt:eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl"}},
		{"/t/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl", []string{"jwt:eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl"}},
		{"/ssn/078-05-1120", []string{"ssn:078-05-1120"}},
		{"x.555-123-4567", []string{"phone:555-123-4567"}},

		// '_' is a word byte: a value glued by it continues an identifier.
		{"id_4111111111111111", nil},
		{"x_AKIAIOSFODNN7EXAMPLE", nil},
		{"4111111111111111_2", nil},
		// ... but an address is an address: '@' and a domain with a TLD say
		// so whatever follows ("export_alice@example.com_2024.csv").
		{"export_alice@example.com_2024.csv", []string{"email:export_alice@example.com"}},
		// '-' after an alphanumeric, '.' after a digit: an identifier or a
		// dotted number goes on.
		{"ORD-4111 1111 1111 1111", nil},
		{"v1.4111111111111111", nil},
		{"1.078-05-1120", nil},
		{"--4111111111111111", []string{"card:4111111111111111"}},
		// '+': E.164 grammar. A card or an IPv4 address after it stays one.
		{"+555-123-4567", []string{"phone:+555-123-4567"}},
		{"++14155550132", nil},
		{"+4111 1111 1111 1111", []string{"card:4111 1111 1111 1111"}},
		{"+4111-1111-1111-1111", []string{"card:4111-1111-1111-1111"}},
		{"+378282246310005", []string{"card:378282246310005"}},
		{"+203.0.113.42", []string{"ipv4:203.0.113.42"}},
		{"+33.1.23.45.67.89", []string{"phone:+33.1.23.45.67.89"}},
		// E-mail: '.', '%', '+', '-' belong to a local part; a last label
		// that cannot be a TLD is left out.
		{"w.alice@example.com", []string{"email:w.alice@example.com"}},
		{"alice@example.com.w", []string{"email:alice@example.com"}},
		{"alice@example.com-w", []string{"email:alice@example.com"}},
		{"bob@mail.example.co.uk.5", []string{"email:bob@mail.example.co.uk"}},
		{"w@hooks.slack.com/services/T024BE7LD/B0F1A2B3C4D/zxCvBnM1234567890qwertyu", []string{"email:w@hooks.slack.com", "slack_token:T024BE7LD/B0F1A2B3C4D/zxCvBnM1234567890qwertyu"}},
		// After an address, scanning goes on at its end: what follows is
		// still seen.
		{"a@example.com:4111 1111 1111 1111", []string{"email:a@example.com", "card:4111 1111 1111 1111"}},
		{"a@example.com,b@example.org", []string{"email:a@example.com", "email:b@example.org"}},
		{"a@example.com password=hunter2x", []string{"email:a@example.com", "generic_secret:hunter2x"}},
		// IPv4: '.' before or '.'+alnum / '-'+letter after make a version.
		{"x.203.0.113.42", nil},
		{"203.0.113.42.w", nil},
		{"203.0.113.42-w", nil},
		// IPv6: after "key:" (letters and '_', not a hex group) it starts;
		// after another group, '.', or a lone ':' it does not.
		{"ip:2001:db8::8a2e:370:7334", []string{"ipv6:2001:db8::8a2e:370:7334"}},
		{"client_ip:fe80::1ff:fe23:4567:890a", []string{"ipv6:fe80::1ff:fe23:4567:890a"}},
		{"x_2001:db8::8a2e:370:7334", nil},
		{"ab:2001:db8::8a2e:370:7334", []string{"ipv6:ab:2001:db8::8a2e:370:7334"}}, // one address
		{"cafe:2001:db8:0:0:0:8a2e:370:7334", nil},                                  // nine groups
		{":2001:db8::8a2e:370:7334", nil},
		{"2024-05-14T09:21:07.412Z", nil},
		// Escape sequences separate: JSON/Go "\n", "\t", "\uXXXX", URL "%XX".
		{`"line\nAKIAIOSFODNN7EXAMPLE\tx"`, []string{"aws_access_key:AKIAIOSFODNN7EXAMPLE"}},
		{`"a\u00224111111111111111\u0022"`, []string{"card:4111111111111111"}},
		{`"\nalice@example.com"`, []string{"email:alice@example.com"}},
		{"/u%2F4111111111111111%2F", []string{"card:4111111111111111"}},
		{"?q=%22alice@example.com%22", []string{"email:alice@example.com"}},
		{"?email=alice%40example.com&x=1", []string{"email:alice%40example.com"}},
		{"%2F203.0.113.42", []string{"ipv4:203.0.113.42"}},
		// ... and an escape reads as one even where a literal was meant.
		{"%4111111111111111", nil},
		{"%203.0.113.42", []string{"ipv4:3.0.113.42"}},
		// Values run to a blank or a delimiter; b64token bytes and padding
		// belong to a bearer token.
		{"password=hunter2xyz!", []string{"generic_secret:hunter2xyz!"}},
		{"password=hunter2xyz;", []string{"generic_secret:hunter2xyz"}},
		{"Bearer mF_9.B5f-4.1JqM=", []string{"bearer_token:mF_9.B5f-4.1JqM="}},
		{"Bearer mF_9.B5f-4.1JqM=x", []string{"bearer_token:mF_9.B5f-4.1JqM"}},
		{`Bearer error="invalid_token"`, nil},
		{"Bearer realm=api", nil},
		// A PEM block as a key=value value runs to its END line.
		{"private_key=-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuw\n-----END EC PRIVATE KEY----- next",
			[]string{"private_key:-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuw\n-----END EC PRIVATE KEY-----"}},
		{"password=-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
			[]string{"private_key:-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC"}},
		// URL userinfo ends at the last '@' of the authority.
		{"https://bob:pa55@host@w", []string{"url_credential:bob:pa55@host"}},
	})
}
