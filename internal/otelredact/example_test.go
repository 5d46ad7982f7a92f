package otelredact_test

import (
	"context"
	"fmt"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/veilhq/veil/internal/otelredact"
)

// emailPolicy hides every string value that looks like an e-mail address.
type emailPolicy struct{}

var hideEmails = otelredact.Walker{Value: func(_ string, _ int, v attribute.Value) (attribute.Value, bool) {
	if v.Type() == attribute.STRING && strings.Contains(v.AsString(), "@") {
		return attribute.StringValue("[EMAIL]"), true
	}
	return v, false
}}

func (emailPolicy) Attrs(_ otelredact.Signal, kvs []attribute.KeyValue) ([]attribute.KeyValue, bool) {
	return hideEmails.Attrs("", 0, kvs)
}

func (emailPolicy) Value(_ otelredact.Signal, v attribute.Value) (attribute.Value, bool) {
	return hideEmails.Walk("", 0, v)
}

func (emailPolicy) Text(_ otelredact.Signal, s string) (string, bool) {
	if strings.Contains(s, "@") {
		return "[EMAIL]", true
	}
	return s, false
}

func Example() {
	exp := tracetest.NewInMemoryExporter()
	spans := otelredact.NewSpans(emailPolicy{})
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSpanProcessor(spans.Processor(sdktrace.NewSimpleSpanProcessor(exp))))

	_, span := tp.Tracer("example").Start(context.Background(), "signup alice@example.com")
	span.SetAttributes(attribute.String("plan", "pro"),
		attribute.Map("user", attribute.String("email", "alice@example.com")))
	span.End()

	for _, s := range exp.GetSpans() {
		fmt.Println(s.Name)
		for _, kv := range s.Attributes {
			fmt.Println(kv.Key, kv.Value)
		}
	}
	// Output:
	// [EMAIL]
	// plan pro
	// user {"email":"[EMAIL]"}
}
