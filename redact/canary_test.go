package redact

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"

	"github.com/veilhq/veil/token"
)

type strValuer struct{ v string }

func (s strValuer) LogValue() slog.Value { return slog.StringValue(s.v) }

type groupValuer struct{ k, v string }

func (g groupValuer) LogValue() slog.Value {
	return slog.GroupValue(slog.String(g.k, g.v), slog.Group("inner", slog.Any(g.k, strValuer{g.v})))
}

type nestedValuer struct{ v string }

func (n nestedValuer) LogValue() slog.Value { return slog.AnyValue(strValuer(n)) }

type panicValuer struct{ v string }

func (p panicValuer) LogValue() slog.Value { panic("cannot log " + p.v) }

type stringer struct{ v string }

func (s stringer) String() string { return "user " + s.v }

type panicStringer struct{ v string }

func (p panicStringer) String() string { panic(p.v) }

type panicError struct{ v string }

func (p panicError) Error() string { panic(errors.New(p.v)) }

type noteStruct struct {
	Note string `json:"note"`
	ID   int
}

type pwStruct struct {
	Password string `json:"password"`
	ID       int
}

// renamedPw names its password field with a json name that does not say so.
type renamedPw struct {
	Password string `json:"p,omitempty"`
}

type tagged struct {
	A string `veil:"mask"`
	B string `veil:"drop"`
	C string `veil:"token=email"`
	D string `veil:"mask=4"`
}

type ifaceHolder struct{ X any }

type ptrHolder struct {
	P    *string
	Next *ptrHolder
}

// canaryPositions place value v under key k (k is "password" for the
// password canary, which only its key reveals). detectorOnly positions carry
// no key and are skipped for that canary.
var canaryPositions = []struct {
	name         string
	detectorOnly bool
	log          func(l *slog.Logger, k, v string)
}{
	{"message", true, func(l *slog.Logger, k, v string) { l.Info("login failed for " + v + " at noon") }},
	{"attr", false, func(l *slog.Logger, k, v string) { l.Info("m", k, v) }},
	{"attr in text", true, func(l *slog.Logger, k, v string) { l.Info("m", "note", "user "+v+" did it") }},
	{"nested group", false, func(l *slog.Logger, k, v string) {
		l.Info("m", slog.Group("a", slog.Group("b", slog.String(k, v))))
	}},
	{"With", false, func(l *slog.Logger, k, v string) { l.With(k, v).Info("m") }},
	{"With group", false, func(l *slog.Logger, k, v string) { l.With(slog.Group("g", k, v)).Info("m") }},
	{"WithGroup", false, func(l *slog.Logger, k, v string) { l.WithGroup("g").WithGroup("h").Info("m", k, v) }},
	{"LogValuer", false, func(l *slog.Logger, k, v string) { l.Info("m", k, strValuer{v}) }},
	{"nested LogValuer", false, func(l *slog.Logger, k, v string) { l.Info("m", k, nestedValuer{v}) }},
	{"LogValuer group", false, func(l *slog.Logger, k, v string) { l.Info("m", "u", groupValuer{k, v}) }},
	{"panicking LogValuer", false, func(l *slog.Logger, k, v string) { l.Info("m", k, panicValuer{v}) }},
	{"panicking LogValuer no key", true, func(l *slog.Logger, k, v string) { l.Info("m", "x", panicValuer{v}) }},
	{"error", false, func(l *slog.Logger, k, v string) { l.Info("m", k, errors.New("failed: "+v)) }},
	{"wrapped error", false, func(l *slog.Logger, k, v string) {
		l.Info("m", k, fmt.Errorf("outer: %w", fmt.Errorf("inner %s: %w", v, errors.ErrUnsupported)))
	}},
	{"error no key", true, func(l *slog.Logger, k, v string) { l.Info("m", "err", errors.New("failed: "+v)) }},
	{"panicking Error", true, func(l *slog.Logger, k, v string) { l.Info("m", "err", panicError{v}) }},
	{"Stringer", false, func(l *slog.Logger, k, v string) { l.Info("m", k, stringer{v}) }},
	{"panicking Stringer", true, func(l *slog.Logger, k, v string) { l.Info("m", "s", panicStringer{v}) }},
	{"struct field", false, func(l *slog.Logger, k, v string) {
		if k == "password" {
			l.Info("m", "s", pwStruct{v, 1})
		} else {
			l.Info("m", "s", noteStruct{v, 1})
		}
	}},
	{"json-renamed field", false, func(l *slog.Logger, k, v string) {
		if k == "password" {
			l.Info("m", "s", renamedPw{v})
		} else {
			l.Info("m", "s", noteStruct{v, 1})
		}
	}},
	{"Formatter", false, func(l *slog.Logger, k, v string) { l.Info("m", k, formatter{v}) }},
	{"panicking Formatter", true, func(l *slog.Logger, k, v string) { l.Info("m", "f", panicFormatter{v}) }},
	{"struct tag", true, func(l *slog.Logger, k, v string) { l.Info("m", "s", tagged{v, v, v, v}) }},
	{"interface field", false, func(l *slog.Logger, k, v string) {
		l.Info("m", "s", ifaceHolder{map[string]any{k: v}})
	}},
	{"pointer", false, func(l *slog.Logger, k, v string) { l.Info("m", k, &v) }},
	{"pointer chain", false, func(l *slog.Logger, k, v string) {
		p := &ptrHolder{P: &v}
		p.Next = p
		l.Info("m", k, p)
	}},
	{"map value", false, func(l *slog.Logger, k, v string) { l.Info("m", "m", map[string]string{k: v}) }},
	{"map key", true, func(l *slog.Logger, k, v string) { l.Info("m", "m", map[string]int{v: 1}) }},
	{"map[any]any value", false, func(l *slog.Logger, k, v string) { l.Info("m", "m", map[any]any{k: v, 2: "x"}) }},
	{"map[any]any key", true, func(l *slog.Logger, k, v string) { l.Info("m", "m", map[any]any{v: 1}) }},
	{"slice", false, func(l *slog.Logger, k, v string) { l.Info("m", k, []string{"a", v}) }},
	{"slice of structs", false, func(l *slog.Logger, k, v string) { l.Info("m", k, []any{noteStruct{v, 1}, v}) }},
	{"array", false, func(l *slog.Logger, k, v string) { l.Info("m", k, [2]string{"a", v}) }},
	{"[]byte", false, func(l *slog.Logger, k, v string) { l.Info("m", k, []byte(v)) }},
	{"json.RawMessage", false, func(l *slog.Logger, k, v string) {
		b, _ := json.Marshal(map[string]string{"x": v})
		l.Info("m", k, json.RawMessage(b))
	}},
	{"key", true, func(l *slog.Logger, k, v string) { l.Info("m", v, "x") }},
	{"WithGroup name", true, func(l *slog.Logger, k, v string) { l.WithGroup(v).Info("m", "a", 1) }},
	{"any(string)", false, func(l *slog.Logger, k, v string) { l.Info("m", slog.Any(k, any(v))) }},
	{"token.Of", true, func(l *slog.Logger, k, v string) { l.Info("m", "user", token.Of("email", v)) }},
	{"token.Of in struct", true, func(l *slog.Logger, k, v string) {
		l.Info("m", "s", struct{ U token.Value }{token.Of("email", v)})
	}},
	{"Secret[T]", true, func(l *slog.Logger, k, v string) { l.Info("m", "s", NewSecret(v)) }},
	{"Secret in struct", true, func(l *slog.Logger, k, v string) {
		l.Info("m", "s", struct{ S Secret[string] }{NewSecret(v)})
	}},
}

// canaries are the values placed; secret, when set, is the part of value
// that must not be emitted (the rest is context a detector needs).
var canaries = []struct {
	name, key, value, secret string
}{
	{"email", "note", "canary.alice@example.com", ""},
	{"card", "note", "4111 1111 1111 1111", ""},
	{"aws key", "note", "AKIAIOSFODNN7EXAMPLE", ""},
	{"national phone", "note", "020 7946 0958", ""},
	{"openai key", "note", "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zCanary0fGh3", ""},
	{"token in a nested URL", "next", "https://app.example/login?next=https%3A%2F%2Fapp.example%2Fcb%3Faccess_token%3DCanaryNested9Tok", "CanaryNested9Tok"},
	{"XML element", "body", "<Envelope><Password>Canary-Xml-Pw7</Password></Envelope>", "Canary-Xml-Pw7"},
	{"Go database DSN", "dsn", "app:Canary-Dsn-Pw3@tcp(db.internal:3306)/shop?parseTime=true", "Canary-Dsn-Pw3"},
	{"password", "password", "hunter2-Canary!", ""},
	{"google access token", "note", "ya29.a0AfH6SMBx3kLq9vN2pR7sT1uW4yZ6bD8fG0hCanary4mN6pQ8rS0tU2vW4xY6zA8", ""},
	{"google client secret", "note", "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", ""},
	{"square access token", "note", "sq0atp-1a2B3cCanary9i0J1k2L3m", ""},
	{"square token (EAAA)", "note", "EAAAl2Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJCanary2rStx9Z", ""},
	{"internationalized address", "note", "canary.ålice@exämple.de", "canary.å"},
	{"address ending a long word", "note", strings.Repeat("k", 80) + "canary.bob@example.com", "canary.bob@example.com"},
	{"encrypted JWT (JWE)", "note", "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..48V1_ALb6US04U3b.CanaryJwe0ltJ3rp.XFBoMYUZodetZdvTiFvSkQ", "CanaryJwe0ltJ3rp"},
	{"US number with its country code", "note", "call 1-415-555-0132 now", "415-555-0132"},
	{"card grouped by fours", "note", "paid with 3056 9309 0259 04 today", "3056 9309 0259 04"},
	{"undashed SSN under its name", "note", "verify ssn=078051120 done", "078051120"},
	{"bracketed form field", "note", "stripe: POST /v1/charges amount=2000&card[cvc]=7319&x=1", "7319"},
	{"card security code", "note", "declined: cvv=9371 exp 12/28", "9371"},
	{"OAuth code in a request URI", "uri", "/oauth/callback?code=4/0AfJohXkCanary8Rs4Tv6Wy1&state=x", "4/0AfJohXkCanary8Rs4Tv6Wy1"},
	{"SQL password literal", "note", "exec: CREATE USER bob WITH PASSWORD 'Canary-Sql-Pw5'", "Canary-Sql-Pw5"},
	{"mysql password option", "cmd", "exec: mysqldump -u root -pCanary-My-Pw6 shop: exit status 2", "Canary-My-Pw6"},
	{"curl user:password", "cmd", "curl -s -u bob:Canary-Curl-Pw8 https://api.example.com", "Canary-Curl-Pw8"},
	{"secret named in a sentence", "note", "auth: invalid api key CanaryProse8Kd3Zq9Wm2Lx for tenant 7", "CanaryProse8Kd3Zq9Wm2Lx"},
	{"Redis AUTH", "cmd", "redis: AUTH default Canary9Rds4Kq7Wz", "Canary9Rds4Kq7Wz"},
	{"Azure SAS signature in a URL", "note", "PUT https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sp=rw&sig=k3Jd8s9QxZ2vCanary7wR4tY6uI8oP1aS3dF5gH7jK0%3D", "k3Jd8s9QxZ2vCanary7wR4tY6uI8oP1aS3dF5gH7jK0"},
}

// leaked reports which forms of v appear in out.
func leaked(out, v string) []string {
	var l []string
	forms := []string{v, base64.StdEncoding.EncodeToString([]byte(v))}
	if c := strings.ReplaceAll(v, " ", ""); c != v {
		forms = append(forms, c)
	}
	for _, f := range forms {
		if strings.Contains(out, f) {
			l = append(l, f)
		}
	}
	return l
}

func TestCanaries(t *testing.T) {
	configs := []struct {
		name string
		opts []Option
	}{
		{"defaults", nil},
		{"tokenizer", []Option{WithTokenizer(testTokenizer(t))}},
	}
	handlers := []struct {
		name string
		mk   func(r *Redactor, b *bytes.Buffer) *slog.Logger
	}{
		{"json", jsonLogger},
		{"text", textLogger},
		{"veil json", veilJSONLogger},
	}
	n := 0
	for _, cfg := range configs {
		r := mustNew(t, cfg.opts...)
		for _, c := range canaries {
			for _, p := range canaryPositions {
				if p.detectorOnly && c.key == "password" {
					continue
				}
				for _, h := range handlers {
					n++
					var buf bytes.Buffer
					p.log(h.mk(r, &buf), c.key, c.value)
					if buf.Len() == 0 {
						t.Errorf("%s/%s/%s/%s: no output", cfg.name, c.name, p.name, h.name)
					}
					secret := c.secret
					if secret == "" {
						secret = c.value
					}
					if l := leaked(buf.String(), secret); l != nil {
						t.Errorf("%s/%s/%s/%s: leaked %q in %s", cfg.name, c.name, p.name, h.name, l, buf.String())
					}
				}
			}
		}
	}
	t.Logf("%d canary cases ran", n)
}

// TestCanaryCommandLine: a secret passed as a command-line option's value,
// as applications log the commands they run: in one string, and as the
// argument list of exec.Cmd.Args, through slog and through span attributes.
func TestCanaryCommandLine(t *testing.T) {
	const secret = "Flag-Canary-9x7"
	r := mustNew(t)
	for _, c := range []struct {
		name, text string
		args       []string
	}{
		{"spaced", "mysqldump --user app --password " + secret + " shop",
			[]string{"mysqldump", "--user", "app", "--password", secret, "shop"}},
		{"quoted list", `exec ["pg_dump", "--db-password", "` + secret + `", "shop"]`,
			[]string{"pg_dump", "--db-password", secret, "shop"}},
		{"quoted args", `run "tool" "--api-key" "` + secret + `"`,
			[]string{"tool", "--api-key", secret}},
		{"equals", "cli --token=" + secret, []string{"cli", "--token=" + secret}},
		{"one dash (Go's flag package)", "./server -addr :8443 -password " + secret + " -v",
			[]string{"./server", "-addr", ":8443", "-password", secret, "-v"}},
		{"one dash, equals", "./server -client-secret=" + secret, []string{"./server", "-client-secret=" + secret}},
		{"mysql's glued -p", "/usr/bin/mysqldump -u root -p" + secret + " shop",
			[]string{"/usr/bin/mysqldump", "-u", "root", "-p" + secret, "shop"}},
		{"sshpass -p", "sshpass -p " + secret + " ssh deploy@host", []string{"sshpass", "-p", secret, "ssh", "deploy@host"}},
		{"redis-cli -a", "redis-cli -h cache -a " + secret + " ping", []string{"redis-cli", "-h", "cache", "-a", secret, "ping"}},
		{"curl -u user:password", "curl -s -u bob:" + secret + " https://api.example.com",
			[]string{"curl", "-s", "-u", "bob:" + secret, "https://api.example.com"}},
		{"curl --user=", "curl --user=bob:" + secret + " https://x.example", []string{"curl", "--user=bob:" + secret, "https://x.example"}},
		{"docker login -p", "docker login -u bob -p " + secret + " ghcr.io", []string{"docker", "login", "-u", "bob", "-p", secret, "ghcr.io"}},
		{"openssl -passout pass:", "openssl pkcs12 -export -passout pass:" + secret + " -out c.p12",
			[]string{"openssl", "pkcs12", "-export", "-passout", "pass:" + secret, "-out", "c.p12"}},
		{"openssl -k", "openssl enc -d -k " + secret + " -in f.enc", []string{"openssl", "enc", "-d", "-k", secret, "-in", "f.enc"}},
		{"ldapsearch -w", "ldapsearch -x -D cn=admin -w " + secret + " -b dc=x", []string{"ldapsearch", "-x", "-D", "cn=admin", "-w", secret, "-b", "dc=x"}},
		{"sqlcmd -P", "sqlcmd -S db -U sa -P " + secret, []string{"sqlcmd", "-S", "db", "-U", "sa", "-P", secret}},
		{"mongodump -p", "mongodump -u admin -p " + secret + " --out /b", []string{"mongodump", "-u", "admin", "-p", secret, "--out", "/b"}},
		{"smbclient -U user%password", "smbclient //srv/s -U bob%" + secret, []string{"smbclient", "//srv/s", "-U", "bob%" + secret}},
		{"ipmitool -P", "ipmitool -H bmc -U admin -P " + secret + " power status", []string{"ipmitool", "-H", "bmc", "-U", "admin", "-P", secret, "power", "status"}},
		{"zip -P", "zip -P " + secret + " out.zip a.csv", []string{"zip", "-P", secret, "out.zip", "a.csv"}},
		{"sqlplus user/password@db", "sqlplus -s app/" + secret + "@orcl @r.sql", []string{"sqlplus", "-s", "app/" + secret + "@orcl", "@r.sql"}},
	} {
		for _, h := range canaryLoggers {
			var buf bytes.Buffer
			l := h(r, &buf)
			anyArgs := make([]any, len(c.args))
			for i, a := range c.args {
				anyArgs[i] = a
			}
			l.Info(c.text, "cmd", c.text, "err", errors.New(c.text), "args", c.args, "any", anyArgs,
				slog.Group("exec", "args", c.args))
			if strings.Contains(buf.String(), secret) {
				t.Errorf("%s: leaked in %s", c.name, buf.String())
			}
		}
		out := otelSpanOutput(t, r, attribute.StringSlice("process.command_args", c.args),
			attribute.String("process.command_line", c.text))
		if strings.Contains(out, secret) {
			t.Errorf("%s: leaked from a span in %s", c.name, out)
		}
	}
	// Not every string after an option is a secret.
	var buf bytes.Buffer
	jsonLogger(r, &buf).Info("m", "args", []string{"app", "--password-file", "/run/secrets/db", "--token", "-", "--verbose", "-password", "-v"})
	if !strings.Contains(buf.String(), `"/run/secrets/db","--token","-","--verbose","-password","-v"`) {
		t.Errorf("harmless arguments changed: %s", buf.String())
	}
	// A command's password option: only its value goes; mysql's "-p db" and
	// options of other commands stay.
	buf.Reset()
	jsonLogger(r, &buf).Info("m", "a", []string{"mysql", "-u", "root", "-p" + secret}, "b", []string{"curl", "-u", "bob:" + secret},
		"c", []string{"mysql", "-p", "shop"}, "d", []string{"psql", "-p5433"}, "e", []string{"docker", "run", "-u", "1000:1000"})
	for _, want := range []string{`"a":["mysql","-u","root","-p[SECRET]"]`, `"b":["curl","-u","bob:[SECRET]"]`,
		`"c":["mysql","-p","shop"]`, `"d":["psql","-p5433"]`, `"e":["docker","run","-u","1000:1000"]`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("want %s in %s", want, buf.String())
		}
	}
}

// TestCanaryPairList: a wrapper that logs its ...any arguments as one value
// ([]any{"user", "bob", "password", "x"}) passes slog's key-value pairs as a
// list; the value after a sensitive key goes, as the key's value would, and
// nothing else changes.
func TestCanaryPairList(t *testing.T) {
	const secret = "Pair-Canary-4k8"
	r := mustNew(t)
	for _, h := range canaryLoggers {
		var buf bytes.Buffer
		h(r, &buf).Info("m", "args", []any{"user", "bob", "password", secret, "attempt", 3},
			"nested", map[string]any{"fields": []any{"api_key", secret}},
			"words", []any{"reset", "password", "for", "bob"}, "strings", []string{"password", "reset"})
		out := buf.String()
		if strings.Contains(out, secret) {
			t.Errorf("leaked: %s", out)
		}
		for _, want := range []string{"bob", "user", "attempt", "reset", "for"} {
			if !strings.Contains(out, want) {
				t.Errorf("%q missing: %s", want, out)
			}
		}
		if strings.Count(out, Redacted) != 2 {
			t.Errorf("want 2 redactions: %s", out)
		}
	}
}

// TestCanaryPathTokens: the token in a password-reset, confirmation,
// invitation or magic-link path, under the URL keys of the semantic
// conventions, in slog attributes and span attributes.
func TestCanaryPathTokens(t *testing.T) {
	const secret = "CanaryReset9Tok3nXz8Q"
	r := mustNew(t)
	for _, c := range []struct{ key, value string }{
		{"url.full", "https://app.example.com/reset/" + secret + "?lang=en"},
		{"http.target", "/accounts/reset/MQ/" + secret + "/?next=/"},
		{"http.target", "/invite/" + secret},
		{"url.original", "/auth/magic-link/" + secret + "/confirm"},
	} {
		for _, h := range canaryLoggers {
			var buf bytes.Buffer
			h(r, &buf).Info("m", c.key, c.value, slog.Group("http", slog.String("url", c.value)))
			if out := buf.String(); strings.Contains(out, secret) || !strings.Contains(out, "REDACTED") {
				t.Errorf("%s: %s", c.key, out)
			}
		}
		if out := otelSpanOutput(t, r, attribute.String(c.key, c.value)); strings.Contains(out, secret) {
			t.Errorf("%s: leaked from a span in %s", c.key, out)
		}
	}
}

// TestCanaryHTTPValues: the standard library's HTTP values as applications
// log them whole (a request, its header and URL, a response, a *url.Error),
// through the JSON and text handlers: no credential they carry is emitted,
// and the walk ends (funcs, channels, readers) without a panic.
func TestCanaryHTTPValues(t *testing.T) {
	secrets := []string{"Canary-Url-Pw1", "Canary-Body-Pw2", "Canary-Bearer-Tok3", "Canary-Cookie-Sid4",
		"Canary-Api-Key5", "Canary-Form-Pw6", "Canary-Set-Cookie7", "Canary-Err-Pw8", "Canary-Query-Tok9"}
	req, err := http.NewRequest("POST", "https://bob:"+secrets[0]+"@api.example.com/v1/x?token="+secrets[8]+"&q=1",
		strings.NewReader("password="+secrets[1]))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+secrets[2])
	req.Header.Set("Cookie", "sid="+secrets[3])
	req.Header.Set("X-Api-Key", secrets[4])
	req.Form = url.Values{"password": {secrets[5]}}
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Set-Cookie": {"session=" + secrets[6]}}, Request: req}
	uerr := &url.Error{Op: "Get", URL: "https://alice:" + secrets[7] + "@x.example.com/", Err: errors.New("boom")}
	r := mustNew(t)
	for _, h := range canaryLoggers {
		var buf bytes.Buffer
		l := h(r, &buf)
		l.Info("request", "req", req, "header", req.Header, "url", req.URL, "form", req.Form)
		l.Info("response", "resp", resp)
		l.Error("failed", "err", uerr, "wrapped", fmt.Errorf("call: %w", uerr))
		dump, err := httputil.DumpRequest(req, false) // as debugging code logs it
		if err != nil {
			t.Fatal(err)
		}
		l.Debug("dump", "request", string(dump))
		l.Info("dump", "request", string(dump))
		l.Info("request dump\n" + string(dump))
		hj, err := json.Marshal(req.Header) // {"Cookie":["sid=…"],…}
		if err != nil {
			t.Fatal(err)
		}
		l.Info("headers " + string(hj))
		l.Info(fmt.Sprintf("headers %v form %v", req.Header, req.Form)) // map[Cookie:[sid=…] …]
		l.Info(fmt.Sprintf("headers %#v", req.Header))                  // http.Header{"Cookie":[]string{…}}
		l.Info(fmt.Sprintf("args %v", []string{"./migrate", "-password", secrets[5]}))
		out := buf.String()
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s leaked: %s", s, out)
			}
		}
		if !strings.Contains(out, "api.example.com") || !strings.Contains(out, `200`) {
			t.Errorf("the clean parts are missing: %s", out)
		}
	}
}

// TestCanaryDumps: secrets in text other programs and languages write —
// hash dumps of Ruby, Perl and PHP, password hashes in their crypt formats,
// a secret named in a capitalized sentence, an address JSON escaped, Azure
// AD, Vault and age secrets — in the
// message, attributes, errors and span attributes; and password hashes and
// one-time codes under their keys.
func TestCanaryDumps(t *testing.T) {
	r := mustNew(t)
	for _, c := range []struct{ name, text, secret string }{
		{"ruby inspect", `params={"user"=>"bob", "password"=>"Dump-Canary-1x9"}`, "Dump-Canary-1x9"},
		{"ruby 3.4 inspect", `{"api_key" => "Dump-Canary-2x9", user: "bob"}`, "Dump-Canary-2x9"},
		{"perl Data::Dumper", `$VAR1 = { 'secret' => 'Dump-Canary-3x9' };`, "Dump-Canary-3x9"},
		{"php print_r", "Array\n(\n    [user] => bob\n    [password] => Dump-Canary-4x9\n)", "Dump-Canary-4x9"},
		{"bcrypt", "user 7 hash $2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW loaded", "PST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"},
		{"sha512-crypt", "root:$6$saltsalt$8iYtNHxjWRl.NF6oNZ5tF.iKFlQREaXBLlSmZKP6dy9l5z3vsooWNW0/GZ6Nej73/TFug6pIPSqbJoCT6dfnj.:19000", "8iYtNHxjWRl.NF6oNZ5tF"},
		{"argon2id", "digest=$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG", "RdescudvJCsgt3ub+b+dWRWJTmaaJObG"},
		{"django", "migrated pbkdf2_sha256$600000$Qx9bT2vLrW4m$Z0xkli9heQb5lfabiMIC6J+1W+Sq9QBME3hxJxiN0sQ= for 12", "Z0xkli9heQb5lfabiMIC6J"},
		{"capitalized prose", "Token Dump5Canary8xQ2vR7tY4uI0p rejected", "Dump5Canary8xQ2vR7tY4uI0p"},
		{"capitals", "INVALID API KEY Dump6Canary8xQ2vR7tY4uI0p", "Dump6Canary8xQ2vR7tY4uI0p"},
		{"json-escaped @", `{"email":"dump.canary\u0040example.com"}`, "dump.canary"},
		{"azure ad secret", "new app secret value u8j8Q~YgjmUh-Bel31iEl2hpChYgCfrL1spNxnyx set", "YgjmUh-Bel31iEl2hpChYgCfrL1spNxnyx"},
		{"vault token", "VAULT_TOKEN is hvs.YY-kv5ZJr3J1TWDtkwtDDb_xHKas1VOqg6YYZYn9ZhyiA4uoRgnatmUdjAWtGSU8po_799NksnRH9ucAUsdMlHUvTCQ", "kv5ZJr3J1TWDtkwtDDb"},
		{"age key", "AGE-SECRET-KEY-1HXYRDLM5AAHN0T09NL4UJY8624FL6ZY54KLAY937YRNUJCKPAK28LRDJG0", "HXYRDLM5AAHN0T09NL4UJY8624FL6ZY54KLAY937"},
		{"k8s env entry", `{"env":[{"name":"DB_PASSWORD","value":"Dump-Canary-8x9"}]}`, "Dump-Canary-8x9"},
		{"yaml env entry", "env:\n  - name: DB_PASSWORD\n    value: Dump-Canary-9x9\n", "Dump-Canary-9x9"},
		{".NET appSettings entry", `<add key="ApiKey" value="Dump-Canary-10x9" />`, "Dump-Canary-10x9"},
		{"AWS parameter entry", `{"Name":"/prod/db/password","Type":"SecureString","Value":"Dump-Canary-11x9"}`, "Dump-Canary-11x9"},
		{"HAR header entry", `"headers":[{"name":"X-Api-Key","value":"Dump-Canary-12x9"}]`, "Dump-Canary-12x9"},
		{"GORM insert", "[3.1ms] [rows:1] INSERT INTO `users` (`name`,`password`) VALUES ('bob','Dump-Canary-13x9'),('amy','Dump-Canary-13x9')", "Dump-Canary-13x9"},
		{"GORM update", "[1.0ms] [rows:1] UPDATE `users` SET `password`='Dump-Canary-14x9' WHERE `id` = 7", "Dump-Canary-14x9"},
		{"SQL Server insert", "INSERT INTO [dbo].[Users] ([Email], [Password]) VALUES (N'bob', N'Dump-Canary-15x9')", "Dump-Canary-15x9"},
		{"Oracle JDBC URL", "jdbc:oracle:thin:app/Dump-Canary-16x9@//ora-1:1521/SHOP", "Dump-Canary-16x9"},
		{"PostgreSQL unique violation", `duplicate key value violates unique constraint "users_api_token_key" (SQLSTATE 23505): Key (api_token)=(Dump7Canary17x9) already exists.`, "Dump7Canary17x9"},
		{"MySQL duplicate entry", "Error 1062 (23000): Duplicate entry 'Dump7Canary18x9' for key 'users.api_token'", "Dump7Canary18x9"},
		{"Redis MONITOR", `1706112345.123456 [0 10.0.0.5:51234] "AUTH" "default" "Dump7Canary19x9"`, "Dump7Canary19x9"},
	} {
		for _, h := range canaryLoggers {
			var buf bytes.Buffer
			h(r, &buf).Info(c.text, "body", c.text, "err", errors.New(c.text), slog.Group("g", "lines", []string{c.text}))
			if strings.Contains(buf.String(), c.secret) {
				t.Errorf("%s: leaked in %s", c.name, buf.String())
			}
		}
		if out := otelSpanOutput(t, r, attribute.String("body", c.text)); strings.Contains(out, c.secret) {
			t.Errorf("%s: leaked from a span in %s", c.name, out)
		}
	}
	const code = "Dump-Canary-7x9"
	for _, k := range []string{"password_hash", "passwordDigest", "mfa_code", "otp_code", "totp", "verification_code", "backup_codes"} {
		var buf bytes.Buffer
		jsonLogger(r, &buf).Info("m", k, code, slog.Group("user", k, code))
		if strings.Contains(buf.String(), code) {
			t.Errorf("key %s: leaked in %s", k, buf.String())
		}
		if out := otelSpanOutput(t, r, attribute.String(k, code)); strings.Contains(out, code) {
			t.Errorf("key %s: leaked from a span in %s", k, out)
		}
	}
}
