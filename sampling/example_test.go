package sampling_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"go.opentelemetry.io/otel/baggage"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/veilhq/veil/redact"
	"github.com/veilhq/veil/sampling"
)

// stdout is a JSON handler without timestamps, so that output is stable.
func stdout() slog.Handler {
	return slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	})
}

func ExampleNewHandler() {
	h := sampling.NewHandler(stdout(), sampling.WithFirst(2), sampling.WithThereafter(0))
	log := slog.New(h)
	for i := 0; i < 5; i++ {
		log.Info("cache miss", "key", i)
	}
	log.Error("database down") // never dropped
	_ = h.Close()              // make the loss visible now
	fmt.Printf("%+v\n", h.Stats())
	// Output:
	// {"level":"INFO","msg":"cache miss","key":0}
	// {"level":"INFO","msg":"cache miss","key":1}
	// {"level":"ERROR","msg":"database down"}
	// {"level":"INFO","msg":"dropped 3 records like \"cache miss\"","sampling.dropped":3,"sampling.message":"cache miss"}
	// {Seen:6 Accepted:3 Dropped:3}
}

func ExampleNewFlightRecorder() {
	tp := sdktrace.NewTracerProvider()
	defer tp.Shutdown(context.Background())
	rec := sampling.NewFlightRecorder(stdout(), sampling.WithCaptureLevel(slog.LevelDebug))
	log := slog.New(rec)

	ok, span := tp.Tracer("shop").Start(context.Background(), "GET /cart")
	log.DebugContext(ok, "cart loaded", "items", 3) // held, then expires unseen
	span.End()

	bad, span := tp.Tracer("shop").Start(context.Background(), "POST /checkout")
	log.DebugContext(bad, "cart loaded", "items", 2)
	log.InfoContext(bad, "charging card")
	log.ErrorContext(bad, "payment provider timeout") // flushes the trace first
	span.End()

	fmt.Printf("flushed %d, held %d\n", rec.Stats().Flushed, rec.Stats().Held)
	// Output:
	// {"level":"DEBUG","msg":"cart loaded","items":2}
	// {"level":"INFO","msg":"charging card"}
	// {"level":"ERROR","msg":"payment provider timeout"}
	// flushed 2, held 1
}

// redactingSink keeps captures as JSON lines, redacted first: the records a
// flight recorder hands to its Sink have not been through the redacting
// handler behind it.
type redactingSink struct{ r *redact.Redactor }

func (s redactingSink) Capture(ctx context.Context, traceKey string, records []slog.Record) error {
	h := stdout()
	for _, rec := range records {
		if err := h.Handle(ctx, s.r.Record(rec)); err != nil {
			return err
		}
	}
	return nil
}

func ExampleWithSink() {
	r, err := redact.New()
	if err != nil {
		panic(err)
	}
	tp := sdktrace.NewTracerProvider()
	defer tp.Shutdown(context.Background())
	rec := sampling.NewFlightRecorder(r.Handler(slog.NewJSONHandler(io.Discard, nil)),
		sampling.WithCaptureLevel(slog.LevelDebug), sampling.WithSink(redactingSink{r}))
	log := slog.New(rec)

	ctx, span := tp.Tracer("shop").Start(context.Background(), "POST /login")
	log.DebugContext(ctx, "login attempt", "user", "bob@example.com", "password", "hunter2")
	log.ErrorContext(ctx, "login failed") // flushes the trace, and captures it
	span.End()
	rec.Close() // waits for the sink
	// Output:
	// {"level":"DEBUG","msg":"login attempt","user":"[EMAIL]","password":"[REDACTED]"}
	// {"level":"ERROR","msg":"login failed"}
}

func ExampleNewUserSampler() {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSampler(sdktrace.ParentBased(sampling.NewUserSampler(0.3))),
		sdktrace.WithSyncer(exp),
	)
	defer tp.Shutdown(context.Background())
	for _, user := range []string{"alice", "bob", "alice", "bob"} {
		m, _ := baggage.NewMemberRaw(sampling.DefaultBaggageKey, user)
		b, _ := baggage.New(m)
		ctx := baggage.ContextWithBaggage(context.Background(), b)
		_, span := tp.Tracer("api").Start(ctx, "request by "+user)
		span.End()
	}
	for _, s := range exp.GetSpans() {
		fmt.Println(s.Name)
	}
	// Output:
	// request by alice
	// request by alice
}

func ExampleWindows() {
	ws := sampling.NewWindows(sampling.WithHook(func(e sampling.Event) {
		fmt.Println("audit:", e.Kind, e.Actor, e.Reason)
	}))
	info := slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == sampling.WindowAttrKey {
				return slog.Attr{} // time and window id vary
			}
			return a
		},
	})
	log := slog.New(ws.Handler(info)) // Info and above, except inside a window

	w, err := ws.Open(sampling.Spec{
		Match:    sampling.Match{Route: "/checkout"},
		Level:    slog.LevelDebug,
		Rate:     1,
		Duration: 15 * time.Minute,
		Reason:   "INC-4711 checkout failures",
		Actor:    "alice@ops",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	checkout := ws.Match(context.Background(), sampling.Request{Route: "/checkout"})
	home := ws.Match(context.Background(), sampling.Request{Route: "/home"})
	log.DebugContext(checkout, "basket state", "items", 2)
	log.DebugContext(home, "not shown")
	_ = ws.Close(w.ID, "bob@ops")
	log.DebugContext(checkout, "not shown either: closed")

	_, err = ws.Open(sampling.Spec{Match: sampling.Match{Route: "/x"}, Rate: 1, Reason: "r", Actor: "a"})
	fmt.Println(err)
	// Output:
	// audit: opened alice@ops INC-4711 checkout failures
	// {"level":"DEBUG","msg":"basket state","items":2}
	// audit: closed bob@ops INC-4711 checkout failures
	// sampling: debug window needs a positive duration of at most 1h0m0s; windows are never indefinite
}

func ExampleWindows_AdminHandler() {
	ws := sampling.NewWindows()
	admin := ws.AdminHandler(func(r *http.Request) (string, error) {
		// A real authorizer verifies a credential, e.g. an mTLS client
		// certificate or a signed token, and returns who is asking.
		if r.Header.Get("Authorization") != "Bearer s3cret-for-example" {
			return "", fmt.Errorf("not an operator")
		}
		return "alice@ops", nil
	})
	srv := httptest.NewServer(admin)
	defer srv.Close()

	body := `{"match":{"route":"/checkout"},"duration":"30m","reason":"INC-4711"}`
	for _, token := range []string{"", "s3cret-for-example"} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		res.Body.Close()
		fmt.Println(res.Status)
	}
	fmt.Println(len(ws.List()), ws.List()[0].Spec.Actor)
	// Output:
	// 403 Forbidden
	// 201 Created
	// 1 alice@ops
}

// Example_chain wires the recommended chain: rate limit → flight recorder →
// redact → JSON. Records held by the recorder are redacted when they are
// emitted, like every other record.
func Example_chain() {
	r, err := redact.New()
	if err != nil {
		panic(err)
	}
	rec := sampling.NewFlightRecorder(r.Handler(stdout()), sampling.WithCaptureLevel(slog.LevelDebug))
	h := sampling.NewHandler(rec, sampling.WithFirst(1), sampling.WithThereafter(0))
	log := slog.New(h)

	tp := sdktrace.NewTracerProvider()
	defer tp.Shutdown(context.Background())
	ctx, span := tp.Tracer("auth").Start(context.Background(), "POST /login")
	defer span.End()

	for i := 0; i < 3; i++ { // a retry loop: only the first attempt is kept
		log.DebugContext(ctx, "login attempt", "email", "alice@example.com", "password", "hunter2")
	}
	log.ErrorContext(ctx, "login failed", "client_ip", "203.0.113.9")
	_ = h.Close() // the loss is visible too
	// Output:
	// {"level":"DEBUG","msg":"login attempt","email":"[EMAIL]","password":"[REDACTED]"}
	// {"level":"ERROR","msg":"login failed","client_ip":"[IP]"}
	// {"level":"DEBUG","msg":"dropped 2 records like \"login attempt\"","sampling.dropped":2,"sampling.message":"login attempt"}
}
