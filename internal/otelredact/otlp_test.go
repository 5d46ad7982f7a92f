package otelredact

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// receiver is a local OTLP/HTTP endpoint that keeps the raw (gunzipped)
// bytes of every request.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	raw      bytes.Buffer
	requests int
	gzipped  int
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var body io.Reader = req.Body
		gz := req.Header.Get("Content-Encoding") == "gzip"
		if gz {
			zr, err := gzip.NewReader(req.Body)
			if err != nil {
				t.Errorf("receiver: %v", err)
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			body = zr
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Errorf("receiver: %v", err)
		}
		rc.mu.Lock()
		rc.raw.Write(b)
		rc.requests++
		if gz {
			rc.gzipped++
		}
		rc.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) bytes() []byte {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return bytes.Clone(rc.raw.Bytes())
}

func TestOTLPHTTPTraces(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		veil bool
		opts []otlptracehttp.Option
	}{
		{"protobuf", true, nil},
		{"gzip", true, []otlptracehttp.Option{otlptracehttp.WithCompression(otlptracehttp.GzipCompression)}},
		{"json", true, []otlptracehttp.Option{otlptracehttp.WithEncoding(otlptracehttp.EncodingJSON)}},
		{"control without veil", false, []otlptracehttp.Option{otlptracehttp.WithCompression(otlptracehttp.GzipCompression)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t)
			exp, err := otlptracehttp.New(ctx, append([]otlptracehttp.Option{
				otlptracehttp.WithEndpointURL(rc.URL + "/v1/traces"), otlptracehttp.WithInsecure()}, tt.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			var proc sdktrace.SpanProcessor = sdktrace.NewBatchSpanProcessor(exp)
			if tt.veil {
				proc = NewSpans(&canaryPolicy{}).Processor(proc)
			}
			tp := sdktrace.NewTracerProvider(sdktrace.WithResource(testResource()), sdktrace.WithSpanProcessor(proc))
			emitSpans(tp)
			if err := tp.Shutdown(ctx); err != nil {
				t.Fatal(err)
			}
			checkRaw(t, rc, tt.veil)
			if tt.name == "gzip" && rc.gzipped == 0 {
				t.Error("no gzipped request: the compressed path was not exercised")
			}
		})
	}
}

func TestOTLPHTTPLogs(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		veil bool
		opts []otlploghttp.Option
	}{
		{"protobuf", true, nil},
		{"gzip", true, []otlploghttp.Option{otlploghttp.WithCompression(otlploghttp.GzipCompression)}},
		{"control without veil", false, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t)
			exp, err := otlploghttp.New(ctx, append([]otlploghttp.Option{
				otlploghttp.WithEndpointURL(rc.URL + "/v1/logs"), otlploghttp.WithInsecure()}, tt.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			var proc sdklog.Processor = sdklog.NewBatchProcessor(exp)
			if tt.veil {
				proc = NewLogProcessor(&canaryPolicy{}, proc)
			}
			lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(proc))
			emitLogs(lp)
			if err := lp.Shutdown(ctx); err != nil {
				t.Fatal(err)
			}
			checkRaw(t, rc, tt.veil)
		})
	}
}

// checkRaw asserts the receiver got data, and that the canary is absent
// (with veil) or present (without: the control proving the search works).
func checkRaw(t *testing.T, rc *receiver, veil bool) {
	t.Helper()
	raw := rc.bytes()
	if rc.requests == 0 || len(raw) == 0 {
		t.Fatal("receiver got nothing")
	}
	has := bytes.Contains(raw, []byte(canary))
	switch {
	case veil && has:
		i := bytes.Index(raw, []byte(canary))
		t.Errorf("canary in OTLP request bytes near %q", raw[max(0, i-60):min(len(raw), i+40)])
	case veil && !bytes.Contains(raw, []byte(marker)):
		t.Error("no redaction marker in OTLP request bytes")
	case !veil && !has:
		t.Error("control: canary not found in OTLP request bytes; the search is broken")
	}
}
