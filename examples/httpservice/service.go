package main

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/veilhq/veil/redact"
	"github.com/veilhq/veil/sampling"
	"github.com/veilhq/veil/token"
)

// Config is what the service is built from. Writers are injectable so that
// tests can read every byte the service lets out.
type Config struct {
	Logs  io.Writer // JSON log records
	Spans io.Writer // spans, when OTLP is false
	// Warnings receives start-up warnings (a throwaway key); nil discards.
	Warnings io.Writer
	// Keys is the keyring ("k2:<base64>,k1:<base64>"); empty makes a
	// throwaway key, so tokens change on every start.
	Keys string
	// AdminToken is the bearer token of the admin endpoint; empty refuses
	// every admin request.
	AdminToken string
	// OTLP exports spans with OTLP/HTTP, configured by the standard
	// OTEL_EXPORTER_OTLP_* variables, instead of writing them to Spans.
	OTLP bool
	// SampleRatio is the fraction of traces sampled outside debug windows.
	SampleRatio float64
	// Clock is the time of the debug windows; nil is time.Now.
	Clock func() time.Time
	// WindowTimers ends debug windows by timer at expiry, not only when
	// they are next used.
	WindowTimers bool
}

// service is the wired application.
type service struct {
	log     *slog.Logger
	tok     *token.Tokenizer
	windows *sampling.Windows
	rate    *sampling.Handler
	rec     *sampling.FlightRecorder
	tp      *sdktrace.TracerProvider
	mux     *http.ServeMux
	handler http.Handler
	users   map[string][sha256.Size]byte // email → SHA-256 of the password (a demo store)
}

func newService(ctx context.Context, cfg Config) (*service, error) {
	if cfg.Logs == nil || (cfg.Spans == nil && !cfg.OTLP) {
		return nil, errors.New("httpservice: Config needs a Logs writer and a Spans writer (or OTLP)")
	}
	if cfg.Warnings == nil {
		cfg.Warnings = io.Discard
	}
	kr, err := keyring(cfg.Keys, cfg.Warnings)
	if err != nil {
		return nil, err
	}
	s := &service{tok: token.New(kr, token.WithCache(4096)), users: demoUsers()}
	r, err := redact.New(redact.WithTokenizer(s.tok))
	if err != nil {
		return nil, err
	}

	// Debug windows; their openings, closings and expiries are logged for
	// the audit trail.
	wopts := []sampling.Option{sampling.WithHook(func(e sampling.Event) {
		s.log.Info("debug window "+e.Kind.String(), "window", e.Window.ID, "actor", e.Actor,
			"reason", e.Reason, "user", e.Window.Spec.Match.User, "expires", e.Window.Expires)
	})}
	if cfg.Clock != nil {
		wopts = append(wopts, sampling.WithClock(cfg.Clock))
	}
	if cfg.WindowTimers {
		wopts = append(wopts, sampling.WithExpiryTimers())
	}
	s.windows = sampling.NewWindows(wopts...)

	// Logs: rate limit → debug windows → flight recorder → redact → JSON.
	// The recorder holds the records of each trace (Debug included) and
	// shows them only when the trace logs an error. Requests selected by a
	// debug window are not held: an investigator is watching them live.
	// r.JSONHandler is r.Handler(slog.NewJSONHandler(...)) in one handler.
	sink := r.JSONHandler(cfg.Logs, &slog.HandlerOptions{Level: slog.LevelInfo})
	s.rec = sampling.NewFlightRecorder(sink, sampling.WithCaptureLevel(slog.LevelDebug))
	s.rate = sampling.NewHandler(s.windows.Handler(s.rec))
	s.log = slog.New(s.rate)

	// Traces: window sampler in front of the ratio; redaction in front of
	// the batch processor.
	var exp sdktrace.SpanExporter
	if cfg.OTLP {
		exp, err = otlptracehttp.New(ctx)
	} else {
		exp, err = stdouttrace.New(stdouttrace.WithWriter(cfg.Spans))
	}
	if err != nil {
		return nil, fmt.Errorf("httpservice: span exporter: %w", err)
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(attribute.String("service.name", "httpservice")))
	if err != nil {
		return nil, err
	}
	s.tp = sdktrace.NewTracerProvider(
		sdktrace.WithResource(res),
		sdktrace.WithSampler(s.windows.Sampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(cfg.SampleRatio)))),
		sdktrace.WithSpanProcessor(r.SpanProcessor(sdktrace.NewBatchSpanProcessor(exp))),
	)

	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST /login", s.login)
	s.mux.HandleFunc("GET /orders", s.orders)
	s.mux.HandleFunc("GET /export", s.export)
	s.mux.Handle("/admin/windows", s.windows.AdminHandler(bearerAuthorizer(cfg.AdminToken)))

	traced := otelhttp.NewHandler(s.mux, "httpservice",
		otelhttp.WithTracerProvider(s.tp),
		otelhttp.WithPropagators(propagation.TraceContext{}),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
			if r.Pattern != "" {
				return r.Pattern // "GET /orders": never the path or query, which carry user data
			}
			return r.Method
		}))
	s.handler = s.matchWindows(traced)
	return s, nil
}

// Handler returns the service's HTTP handler.
func (s *service) Handler() http.Handler { return s.handler }

// Shutdown flushes the spans and the rate limiter's summaries and stops the
// flight recorder.
func (s *service) Shutdown(ctx context.Context) error {
	return errors.Join(s.tp.Shutdown(ctx), s.rate.Close(), s.rec.Close())
}

// matchWindows marks each request with the debug windows it matches, by
// route and by user token, before the server span starts, so that the
// window sampler sees the mark. The user is named by the X-User header or the
// user query parameter (a stand-in for a session).
func (s *service) matchWindows(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := sampling.Request{}
		_, req.Route = s.mux.Handler(r)
		if u := requestUser(r); u != "" {
			req.User = s.tok.Token(token.Email, u)
		}
		ctx := r.Context()
		if mctx := s.windows.Match(ctx, req); mctx != ctx {
			r = r.WithContext(mctx)
		}
		next.ServeHTTP(w, r)
	})
}

func requestUser(r *http.Request) string {
	if u := r.Header.Get("X-User"); u != "" {
		return u
	}
	return r.URL.Query().Get("user")
}

// keyring parses keys, or makes a throwaway key with a warning.
func keyring(keys string, warn io.Writer) (*token.Keyring, error) {
	if keys != "" {
		return token.ParseKeyring(keys)
	}
	k, err := token.GenerateKey("tmp")
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(warn, "httpservice: warning: VEIL_TOKEN_KEYS is not set; using a throwaway key, so tokens change on every start and cannot be recomputed")
	return token.NewKeyring(k)
}

// bearerAuthorizer admits requests carrying "Authorization: Bearer <secret>".
// Both sides are hashed before the constant-time comparison, so neither the
// content nor the length of the secret leaks through timing. With no secret
// it returns nil, and the admin handler refuses every request.
func bearerAuthorizer(secret string) func(*http.Request) (string, error) {
	if secret == "" {
		return nil
	}
	want := sha256.Sum256([]byte(secret))
	return func(r *http.Request) (string, error) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			return "", errors.New("missing bearer token")
		}
		sum := sha256.Sum256([]byte(got))
		if subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			return "", errors.New("wrong bearer token")
		}
		return "operator", nil
	}
}
