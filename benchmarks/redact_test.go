package benchmarks

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/m-mizutani/masq"

	"github.com/veilhq/veil/redact"
	"github.com/veilhq/veil/token"
)

// The records below are logged by every side of the redaction comparison.
// Canaries (the planted secret and address) are asserted absent from the
// redacted outputs by TestRedactSidesAgree.
const (
	canaryEmail    = "alice.smith@example.com"
	canaryPassword = "hunter2-canary-pw"
)

// Credentials is a nested struct holding a secret, as applications log them.
type Credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// Account holds Credentials one level down.
type Account struct {
	ID    int64       `json:"id"`
	Plan  string      `json:"plan"`
	Login Credentials `json:"login"`
}

var ctx = context.Background()

// cleanAttrs is a typical request log: six attributes, nothing to redact.
func cleanAttrs() []slog.Attr {
	return []slog.Attr{
		slog.String("method", "GET"),
		slog.String("path", "/api/v2/orders/48213377"),
		slog.Int("status", 200),
		slog.Duration("dur", 12400*time.Microsecond),
		slog.Int("bytes", 5821),
		slog.String("request_id", "3f2b8c1e-9a4d-4e7b-b1c2-7d5e6f8a9b0c"),
	}
}

// piiAttrs carries an email in a string value and a secret in a nested struct.
func piiAttrs() []slog.Attr {
	return []slog.Attr{
		slog.String("method", "POST"),
		slog.String("path", "/api/v2/login"),
		slog.Int("status", 401),
		slog.String("email", canaryEmail),
		slog.Any("account", Account{ID: 42, Plan: "pro", Login: Credentials{Username: "alice", Password: canaryPassword}}),
		slog.String("request_id", "3f2b8c1e-9a4d-4e7b-b1c2-7d5e6f8a9b0c"),
	}
}

// emailRE is what a masq user writes to catch addresses.
var emailRE = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)

// masqReplaceAttr configures masq as fairly as it allows: the secret keys
// veil knows by default that occur in these records, matched as attribute
// keys and as Go field names, and the email pattern. masq replaces a whole
// string that contains an address, not the address alone, cannot tokenize,
// and has no detectors for cards, keys, JWTs and the rest.
func masqReplaceAttr() func([]string, slog.Attr) slog.Attr {
	return masq.New(
		masq.WithFieldName("password"),
		masq.WithFieldName("Password"),
		masq.WithFieldName("secret"),
		masq.WithFieldName("Secret"),
		masq.WithFieldName("token"),
		masq.WithFieldName("Token"),
		masq.WithRegex(emailRE),
	)
}

// redactSide is one way of logging the same records.
type redactSide struct {
	name   string
	logger func(w io.Writer) *slog.Logger
}

func redactSides(tb testing.TB) []redactSide {
	r, err := redact.New()
	if err != nil {
		tb.Fatal(err)
	}
	kr, err := token.NewKeyring(token.Key{ID: "k1", Secret: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		tb.Fatal(err)
	}
	rt, err := redact.New(redact.WithTokenizer(token.New(kr)))
	if err != nil {
		tb.Fatal(err)
	}
	return []redactSide{
		{"bare", func(w io.Writer) *slog.Logger { return slog.New(slog.NewJSONHandler(w, nil)) }},
		{"veil", func(w io.Writer) *slog.Logger { return slog.New(r.Handler(slog.NewJSONHandler(w, nil))) }},
		{"veil-tokenize", func(w io.Writer) *slog.Logger { return slog.New(rt.Handler(slog.NewJSONHandler(w, nil))) }},
		{"masq", func(w io.Writer) *slog.Logger {
			return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{ReplaceAttr: masqReplaceAttr()}))
		}},
		// veil-json: the same policy as veil, with veil's own JSON encoding
		// (Redactor.JSONHandler) in place of slog's JSONHandler.
		{"veil-json", func(w io.Writer) *slog.Logger { return slog.New(r.JSONHandler(w, nil)) }},
	}
}

// BenchmarkRedact logs the same records through the bare slog.JSONHandler,
// veil's Handler in front of it (placeholders, and tokens) and the same
// JSONHandler with masq as ReplaceAttr, and rebuildHandler (the floor of a
// handler that changes attributes). Output goes to io.Discard, so the
// figures are the cost of redaction plus JSON encoding.
func BenchmarkRedact(b *testing.B) {
	clean, pii := cleanAttrs(), piiAttrs()
	ids := requestIDs(4096)
	sides := append(redactSides(b), redactSide{"rebuild", func(w io.Writer) *slog.Logger {
		return slog.New(rebuildHandler{slog.NewJSONHandler(w, nil)})
	}})
	for _, s := range sides {
		b.Run("rec=clean/side="+s.name, func(b *testing.B) {
			l := s.logger(io.Discard)
			b.ReportAllocs()
			for b.Loop() {
				l.LogAttrs(ctx, slog.LevelInfo, "request handled", clean...)
			}
		})
		// clean-unique: the clean record with a new request id each time,
		// as in production; veil's clean-text cache knows the message and
		// the other strings but never the id, which is scanned every time.
		b.Run("rec=clean-unique/side="+s.name, func(b *testing.B) {
			l := s.logger(io.Discard)
			attrs := cleanAttrs()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				attrs[5] = slog.String("request_id", ids[i%len(ids)])
				i++
				l.LogAttrs(ctx, slog.LevelInfo, "request handled", attrs...)
			}
		})
		b.Run("rec=pii/side="+s.name, func(b *testing.B) {
			l := s.logger(io.Discard)
			b.ReportAllocs()
			for b.Loop() {
				l.LogAttrs(ctx, slog.LevelInfo, "login failed", pii...)
			}
		})
		// with-once: a logger built with With once (redacted once), then
		// two attributes per record.
		b.Run("rec=with-once/side="+s.name, func(b *testing.B) {
			l := s.logger(io.Discard).With(attrsAny(pii)...)
			b.ReportAllocs()
			for b.Loop() {
				l.LogAttrs(ctx, slog.LevelInfo, "order listed", slog.Int("count", 3), slog.String("page", "2"))
			}
		})
		// with-per-request: a request-scoped logger made with With for every
		// record, the pattern of HTTP middlewares.
		b.Run("rec=with-per-request/side="+s.name, func(b *testing.B) {
			l := s.logger(io.Discard)
			args := attrsAny(pii)
			b.ReportAllocs()
			for b.Loop() {
				l.With(args...).LogAttrs(ctx, slog.LevelInfo, "order listed", slog.Int("count", 3))
			}
		})
	}
}

// rebuildHandler passes on a new record with the attributes of each record,
// changing nothing: what slog's API makes any handler pay that changes an
// attribute (a Record's attributes cannot be replaced in place), before it
// does any work of its own. It redacts nothing and is not a side of
// TestRedactSidesAgree; BenchmarkRedact runs it as the floor of a redacting
// handler.
type rebuildHandler struct{ next slog.Handler }

func (h rebuildHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}
func (h rebuildHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return rebuildHandler{h.next.WithAttrs(as)}
}
func (h rebuildHandler) WithGroup(name string) slog.Handler {
	return rebuildHandler{h.next.WithGroup(name)}
}
func (h rebuildHandler) Handle(ctx context.Context, rec slog.Record) error {
	var buf [8]slog.Attr
	out := buf[:0]
	rec.Attrs(func(a slog.Attr) bool {
		out = append(out, a)
		return true
	})
	nr := slog.NewRecord(rec.Time, rec.Level, rec.Message, rec.PC)
	nr.AddAttrs(out...)
	return h.next.Handle(ctx, nr)
}

// forwardHandler passes each record on as is: the cost of any handler put in
// front of another (one more Enabled and Handle call, the record copied
// into the next call). It is a floor of BenchmarkRedactInterleaved.
type forwardHandler struct{ next slog.Handler }

func (h *forwardHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}
func (h *forwardHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &forwardHandler{h.next.WithAttrs(as)}
}
func (h *forwardHandler) WithGroup(name string) slog.Handler {
	return &forwardHandler{h.next.WithGroup(name)}
}
func (h *forwardHandler) Handle(ctx context.Context, rec slog.Record) error {
	return h.next.Handle(ctx, rec)
}

// iterateHandler reads the key of every attribute of each record, then
// passes the record on as is: the cost of any handler that looks at a
// record's attributes (Record.Attrs copies the record and calls back once
// per attribute) before deciding nothing changes. It is a floor of
// BenchmarkRedactInterleaved. Like veil's handler (and forwardHandler) it
// has pointer receivers: a value receiver costs another copy of the
// handler per call.
type iterateHandler struct{ next slog.Handler }

// iterated keeps iterateHandler's reads from being optimized away.
var iterated atomic.Int64

func (h *iterateHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}
func (h *iterateHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &iterateHandler{h.next.WithAttrs(as)}
}
func (h *iterateHandler) WithGroup(name string) slog.Handler {
	return &iterateHandler{h.next.WithGroup(name)}
}
func (h *iterateHandler) Handle(ctx context.Context, rec slog.Record) error {
	n := 0
	rec.Attrs(func(a slog.Attr) bool {
		n += len(a.Key)
		return true
	})
	if n == 0 {
		iterated.Add(1)
	}
	return h.next.Handle(ctx, rec)
}

// requestIDs returns n distinct request ids shaped as UUIDs.
func requestIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%08x-9a4d-4e7b-b1c2-%012x", uint32(i)*2654435761, uint64(i)*0x9e3779b97f4a&(1<<48-1))
	}
	return ids
}

func attrsAny(as []slog.Attr) []any {
	out := make([]any, len(as))
	for i, a := range as {
		out[i] = a
	}
	return out
}
