package redact_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.opentelemetry.io/contrib/bridges/otelslog"
	"go.opentelemetry.io/otel/attribute"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/veilhq/veil/redact"
)

// printExporter prints the body and attributes of each exported log record.
type printExporter struct{}

func (printExporter) Export(_ context.Context, rs []sdklog.Record) error {
	for _, r := range rs {
		fmt.Println("body:", r.Body().String())
		r.WalkAttributes(func(kv attribute.KeyValue) bool {
			fmt.Printf("  %s = %s\n", kv.Key, kv.Value.String())
			return true
		})
	}
	return nil
}
func (printExporter) Shutdown(context.Context) error   { return nil }
func (printExporter) ForceFlush(context.Context) error { return nil }

// The whole chain: slog → veil handler → otelslog bridge → sdk/log → veil
// log processor → exporter. The handler redacts what the application logs
// through slog; the log processor redacts what reaches the LoggerProvider by
// any other way (here a record emitted with the OpenTelemetry Logs API).
func Example_otelLogs() {
	r, err := redact.New(redact.WithRule(redact.Key("user.age"), redact.Bucket(10)))
	if err != nil {
		panic(err)
	}
	lp := sdklog.NewLoggerProvider(
		sdklog.WithProcessor(r.LogProcessor(sdklog.NewSimpleProcessor(printExporter{}))))
	defer func() { _ = lp.Shutdown(context.Background()) }()

	logger := slog.New(r.Handler(otelslog.NewHandler("shop", otelslog.WithLoggerProvider(lp))))
	logger.Info("signup by alice@example.com", "user.age", 34, "password", "hunter2")

	// Not through slog: only the log processor sees it.
	bridge := otelslog.NewLogger("shop", otelslog.WithLoggerProvider(lp))
	bridge.Info("card on file", "note", "4111 1111 1111 1111")
	// Output:
	// body: signup by [EMAIL]
	//   user.age = 30-39
	//   password = [REDACTED]
	// body: card on file
	//   note = [CARD]
}

// A LoggerProvider's records keep its resource, which no log processor can
// replace: redact the resource once, before giving it to the provider. A
// resource detected with resource.WithProcess carries the command line.
func ExampleRedactor_Resource() {
	r, err := redact.New()
	if err != nil {
		panic(err)
	}
	res := resource.NewWithAttributes("",
		attribute.String("service.name", "shop"),
		attribute.StringSlice("process.command_args", []string{"./shop", "-db-password", "hunter2", "-v"}))
	red := r.Resource(res)
	lp := sdklog.NewLoggerProvider(
		sdklog.WithResource(red),
		sdklog.WithProcessor(r.LogProcessor(sdklog.NewSimpleProcessor(printExporter{}))))
	defer func() { _ = lp.Shutdown(context.Background()) }()

	for _, kv := range red.Attributes() {
		fmt.Printf("%s = %s\n", kv.Key, kv.Value.String())
	}
	// Output:
	// process.command_args = ["./shop","-db-password","[SECRET]","-v"]
	// service.name = shop
}

// A span processor redacts spans before the batch processor (here a simple
// one) hands them to the exporter.
func ExampleRedactor_SpanProcessor() {
	r, err := redact.New(
		redact.WithRule(redact.Key("client.address"), redact.IPPrefix(24, 48)),
		redact.WithRule(redact.Key("order.placed_at"), redact.Coarsen(time.Hour)))
	if err != nil {
		panic(err)
	}
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSpanProcessor(r.SpanProcessor(sdktrace.NewSimpleSpanProcessor(exp))))
	defer func() { _ = tp.Shutdown(context.Background()) }()

	_, span := tp.Tracer("shop").Start(context.Background(), "checkout",
		trace.WithAttributes(
			attribute.String("client.address", "203.0.113.7"),
			attribute.String("order.placed_at", "2026-11-25T21:47:13Z"),
			attribute.Map("user", attribute.String("email", "alice@example.com"), attribute.Int("id", 7)),
			attribute.String("db.query.text", "SELECT * FROM users WHERE email = 'alice@example.com'"),
		))
	span.RecordError(fmt.Errorf("no card for alice@example.com"))
	span.End()

	s := exp.GetSpans()[0]
	for _, kv := range s.Attributes {
		fmt.Printf("%s = %s\n", kv.Key, kv.Value.String())
	}
	for _, kv := range s.Events[0].Attributes {
		if kv.Key == "exception.message" {
			fmt.Printf("%s = %s\n", kv.Key, kv.Value.String())
		}
	}
	// Output:
	// client.address = 203.0.113.0/24
	// order.placed_at = 2026-11-25T21:00:00Z
	// user = {"email":"[EMAIL]","id":7}
	// db.query.text = SELECT * FROM users WHERE email = ?
	// exception.message = no card for [EMAIL]
}
