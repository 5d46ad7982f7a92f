// Command quickstart shows veil with zero configuration: realistic log calls go in,
// and what leaves the process comes out, with secrets removed and identifiers
// tokenized.
//
//	go run ./examples/quickstart
//
// Set VEIL_TOKEN_KEYS ("k1:<base64 of >= 32 bytes>") to get the same tokens on every
// run; without it the example makes a throwaway key, so tokens differ per run.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/veilhq/veil/redact"
	"github.com/veilhq/veil/token"
)

func main() {
	if err := run(os.Stdout, os.Getenv("VEIL_TOKEN_KEYS")); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// user is what an application might log as a whole struct.
type user struct {
	ID       string `json:"id"`
	Email    string `json:"email"`
	Password string `json:"password"`
	Plan     string `json:"plan"`
}

// call is one logging call: the Go source it stands for, and the call itself.
type call struct {
	code string
	log  func(*slog.Logger)
}

var calls = []call{
	{`logger.Info("login failed for alice@example.com from 203.0.113.7", "attempt", 3)`,
		func(l *slog.Logger) { l.Info("login failed for alice@example.com from 203.0.113.7", "attempt", 3) }},
	{`logger.Info("signup", "user", user{ID: "u-1842", Email: "bob@example.org", Password: "hunter2!", Plan: "pro"})`,
		func(l *slog.Logger) {
			l.Info("signup", "user", user{ID: "u-1842", Email: "bob@example.org", Password: "hunter2!", Plan: "pro"})
		}},
	{`logger.Error("charge failed", "err", errors.New("card 4111 1111 1111 1111 declined for user 1842"))`,
		func(l *slog.Logger) {
			l.Error("charge failed", "err", errors.New("card 4111 1111 1111 1111 declined for user 1842"))
		}},
	{`logger.Warn("upstream call", "authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxODQyIn0.c2lnbmF0dXJl")`,
		func(l *slog.Logger) {
			l.Warn("upstream call", "authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxODQyIn0.c2lnbmF0dXJl")
		}},
	{`logger.Debug("config loaded", "aws", "aws_access_key_id=AKIAIOSFODNN7EXAMPLE region=eu-west-1")`,
		func(l *slog.Logger) {
			l.Debug("config loaded", "aws", "aws_access_key_id=AKIAIOSFODNN7EXAMPLE region=eu-west-1")
		}},
	{`logger.Info("query", "db.query.text", "SELECT * FROM users WHERE email = 'carol@example.net' AND pin = 9081")`,
		func(l *slog.Logger) {
			l.Info("query", "db.query.text", "SELECT * FROM users WHERE email = 'carol@example.net' AND pin = 9081")
		}},
	{`logger.Info("request", "url.full", "https://api.example.com/v1/reset?email=dave@example.com&token=s3cr3tT0k3n")`,
		func(l *slog.Logger) {
			l.Info("request", "url.full", "https://api.example.com/v1/reset?email=dave@example.com&token=s3cr3tT0k3n")
		}},
	{`logger.Info("lookup", "user", token.Of("email", "erin@example.com"), "order", "ORD-20261125-0042")`,
		func(l *slog.Logger) {
			l.Info("lookup", "user", token.Of("email", "erin@example.com"), "order", "ORD-20261125-0042")
		}},
}

// run logs every call through veil and writes, for each, the call and the JSON
// line veil emitted.
func run(w io.Writer, keys string) error {
	var kr *token.Keyring
	var err error
	if keys != "" {
		kr, err = token.ParseKeyring(keys)
	} else {
		var k token.Key
		if k, err = token.GenerateKey("demo"); err == nil {
			kr, err = token.NewKeyring(k)
		}
	}
	if err != nil {
		return err
	}
	r, err := redact.New(redact.WithTokenizer(token.New(kr)))
	if err != nil {
		return err
	}

	var out bytes.Buffer
	sink := slog.NewJSONHandler(&out, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{} // keep the screen short
			}
			return a
		},
	})
	// r.Handler wraps any slog.Handler. For JSON, r.JSONHandler(&out, opts)
	// is the same pair in one handler, and faster.
	logger := slog.New(r.Handler(sink))

	fmt.Fprintln(w, "veil quickstart: each logging call, then the line veil let out of the process.")
	for _, c := range calls {
		out.Reset()
		c.log(logger)
		fmt.Fprintf(w, "\n  code: %s\n  veil: %s", c.code, out.String())
	}
	if !logger.Handler().Enabled(context.Background(), slog.LevelDebug) {
		return errors.New("debug records were not enabled")
	}
	return nil
}
