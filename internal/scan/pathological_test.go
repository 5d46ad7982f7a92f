package scan

import (
	"strings"
	"testing"
	"time"
)

type namedText struct{ name, text string }

// pathological returns 1 MiB inputs aimed at quadratic re-validation.
func pathological() []namedText {
	const n = 1 << 20
	rep := func(s string) string { return strings.Repeat(s, n/len(s)+1)[:n] }
	return []namedText{
		{"digits", rep("4")},
		{"digit-groups", rep("4111 ")},
		{"at", rep("@")},
		{"a-at", rep("a@")},
		{"colon", rep(":")},
		{"hex-colon", rep("ab:")},
		{"eq", rep("=")},
		{"password-eq", rep("password=")},
		{"token-quote", "token=\"" + rep("a")[7:]},
		{"dots", rep("1.")},
		{"plus", rep("+1 ")},
		{"url", rep("http://a:")},
		{"jwt", rep("eyJ.")},
		{"bearer", rep("Bearer ")},
		{"pem", rep("-----BEGIN ")},
		{"local", rep("a.b-c+d_e%f")},
		{"invalid-utf8", rep("\xff\xfe=@:")},
		{"cookie", rep("Cookie:")},
		{"cookie-pairs", "Cookie: " + rep("a=b; ")[8:]},
		{"set-cookie-json", rep(`"Set-Cookie":[`)},
		{"list", "password:[" + rep("[ ")[10:]},
		{"lists", rep("password:[")},
		{"cookie-lists", rep("Cookie:[")},
		{"lists-quoted", rep(`"token":["`)},
		{"lists-short", rep("token:[a ")},
		{"lists-json", rep(`token:["a", `)},
		{"lists-fmt-placeholder", rep("token:[[SECRET] ")},
		{"list-go", rep(`"password":[]string{`)},
		{"list-quoted", `"password":[` + rep(`"a",`)[12:]},
		{"xml", rep("<password>")},
		{"xml-open", "<password>" + rep("a")[10:]},
		{"xml-json", rep(`\u003cpassword\u003e`)},
		{"url-encoded", rep("token%3D")},
		{"dsn", rep("a:b@tcp(")},
		{"flag-list", rep("[-password ")},
		{"command-options", rep("mysql -pa curl -u login -p ")},
		{"command-names", rep("mysqlcurl -p")},
		{"prose", rep("api key token is ")},
		{"prose-password", rep("machine login password set to ") + rep("password s3cr3tPassw0rd ")},
		{"vendor-aad-vault-age", rep("a1b8Q~") + rep("hvs.") + rep("AGE-SECRET-KEY-1")},
		{"crypt", rep("$1") + rep("$2b$12$a") + rep("pbkdf2_sha256$") + rep("$argon2id$v=19,")},
		{"telegram", rep("123456789:A")},
		{"discord", rep("discord.com/api/webhooks/1")},
		{"vendor", rep("sk-")},
		{"vendor-google", rep("ya29.a0") + rep("GOCSPX-")},
		{"vendor-square", rep("sq0atp-") + rep("EAAAa1")},
		{"sig", rep("&sig=")},
		{"query-code", rep("?code=") + rep("&code=a1") + rep("%26code%3D")},
		{"bracket", rep("a[password]=") + rep("[[]=") + rep("[card[cvc]]=")},
		{"entries", rep(`{"name":"password",`) + rep("name: token\n  ")},
		{"sql-password", rep("PASSWORD ") + rep("IDENTIFIED BY ") + rep("password('")},
		{"sql-values", rep("(password) VALUES (") + rep("(password) VALUES ('") + rep("(a,password) VALUES (1,f(") +
			"(" + strings.Repeat("password,", 200) + "x) VALUES (" + rep("'a', ") + rep("),(") + rep(" VALUES (")},
	}
}

// TestPathologicalLinear scans each 1 MiB pathological input and compares its
// time with a clean input of the same size scanned in the same run: a
// quadratic path would be thousands of times slower, so the generous bound
// (50x) catches it without depending on machine speed.
func TestPathologicalLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("1 MiB inputs")
	}
	s := New(All)
	clean := strings.Repeat(cleanLog, 1024)
	dst := make([]Match, 0, 1024)
	measure := func(text string) time.Duration {
		best := time.Duration(1 << 62)
		for range 3 {
			start := time.Now()
			dst = s.Scan(dst[:0], text)
			best = min(best, time.Since(start))
		}
		return best
	}
	base := max(measure(clean), time.Millisecond)
	for _, c := range pathological() {
		d := measure(c.text)
		checkMatches(t, c.text, s.Scan(nil, c.text))
		if d > 50*base {
			t.Errorf("%s: %v for 1 MiB, clean text takes %v: not linear", c.name, d, base)
		}
	}
}
