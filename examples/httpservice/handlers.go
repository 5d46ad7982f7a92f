package main

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/veilhq/veil/token"
)

// maxBody bounds the request bodies the handlers read.
const maxBody = 4 << 10

// demoUsers is the service's user store: two accounts with their password
// hashes (a real service would use a password hashing function such as
// argon2id; SHA-256 keeps the example in the standard library).
func demoUsers() map[string][sha256.Size]byte {
	return map[string][sha256.Size]byte{
		"alice@example.com": sha256.Sum256([]byte("correct-horse-battery-staple")),
		"bob@example.org":   sha256.Sum256([]byte("tr0ub4dor&3")),
	}
}

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// login checks an email and password, sent as JSON or as a form. Its
// records and span carry both, raw, as careless code does: veil removes the
// password and tokenizes the address before anything leaves the process.
func (s *service) login(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var c credentials
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		if err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&c); err != nil {
			s.log.WarnContext(ctx, "login: bad JSON body", "err", err)
			http.Error(w, `send {"email": "...", "password": "..."}`, http.StatusBadRequest)
			return
		}
	default:
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "send the email and password as JSON or as a form", http.StatusBadRequest)
			return
		}
		c = credentials{Email: r.PostForm.Get("email"), Password: r.PostForm.Get("password")}
	}
	email := strings.TrimSpace(c.Email)
	trace.SpanFromContext(ctx).SetAttributes(attribute.String("user.email", email))
	s.log.DebugContext(ctx, "login attempt", "email", email, "password", c.Password)

	want, known := s.users[strings.ToLower(email)]
	got := sha256.Sum256([]byte(c.Password))
	if !known || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		s.log.WarnContext(ctx, "login failed for "+email, "known_user", known)
		http.Error(w, "wrong email or password", http.StatusUnauthorized)
		return
	}
	s.log.InfoContext(ctx, "login ok", "user", token.Of(token.Email, email))
	writeJSON(w, map[string]any{"ok": true})
}

// orders lists the orders of the user named by ?user=<email> or X-User. Its debug records carry the
// address and the SQL statement with the address as a literal.
func (s *service) orders(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	user := requestUser(r)
	if user == "" {
		http.Error(w, "name the user with the query parameter user or the X-User header", http.StatusBadRequest)
		return
	}
	q := fmt.Sprintf("SELECT id, total FROM orders WHERE customer_email = '%s' ORDER BY id DESC LIMIT 20", user)
	trace.SpanFromContext(ctx).SetAttributes(attribute.String("db.query.text", q))
	s.log.DebugContext(ctx, "loading orders", "user", user, "db.query.text", q)
	orders := []map[string]any{{"id": "ORD-20261125-0042", "total": 42.5}, {"id": "ORD-20261101-0007", "total": 9.99}}
	s.log.DebugContext(ctx, "orders loaded", "user", user, "count", len(orders))
	s.log.InfoContext(ctx, "orders listed", "user", token.Of(token.Email, user), "count", len(orders))
	writeJSON(w, map[string]any{"orders": orders})
}

// export fails for every user with an error that mentions the address: the
// flight recorder then shows the debug records of the request, before the
// error, all redacted.
func (s *service) export(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	user := r.URL.Query().Get("user")
	if user == "" {
		http.Error(w, "missing query parameter user", http.StatusBadRequest)
		return
	}
	s.log.DebugContext(ctx, "export requested", "user", user, "format", "csv")
	s.log.DebugContext(ctx, "resolving export bucket", "tenant", "acme", "region", "eu-west-1")
	err := fmt.Errorf("export: no bucket configured for %s", user)
	span := trace.SpanFromContext(ctx)
	span.RecordError(err)
	span.SetStatus(codes.Error, err.Error())
	s.log.ErrorContext(ctx, "export failed", "err", err)
	http.Error(w, "export failed; the incident has been logged", http.StatusInternalServerError)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v) // a client that went away is not an error of the service
}
