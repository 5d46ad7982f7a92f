// Command httpservice is a small HTTP service instrumented the way veil
// recommends, for walking through an incident (see README.md):
//
//   - logs: slog → sampling.Handler (rate limit) → debug windows →
//     sampling.FlightRecorder (debug context held per trace, shown only
//     around an error) → redact (tokens, placeholders) → JSON on stdout;
//   - traces: otelhttp → veil's debug-window sampler → redact.SpanProcessor →
//     batch processor → stdout, or OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT
//     is set;
//   - /admin/windows: open and close debug windows, for operators holding
//     VEIL_ADMIN_TOKEN; without it every admin request is refused.
//
// Run it:
//
//	VEIL_TOKEN_KEYS=k1:<base64 of >= 32 bytes> VEIL_ADMIN_TOKEN=<random> go run ./examples/httpservice
//
// Print the token of a user, as the service would write it:
//
//	VEIL_TOKEN_KEYS=... go run ./examples/httpservice -token alice@example.com
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/veilhq/veil/token"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	email := flag.String("token", "", "print the token of this email address under VEIL_TOKEN_KEYS and exit")
	flag.Parse()

	if *email != "" {
		tok, err := userToken(os.Getenv("VEIL_TOKEN_KEYS"), *email)
		if err != nil {
			fmt.Fprintln(os.Stderr, "httpservice:", err)
			os.Exit(2)
		}
		fmt.Println(tok)
		return
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, *addr); err != nil {
		fmt.Fprintln(os.Stderr, "httpservice:", err)
		os.Exit(1)
	}
}

// userToken is the token the service writes for the user with this address.
func userToken(keys, email string) (string, error) {
	if keys == "" {
		return "", errors.New("set VEIL_TOKEN_KEYS to the service's keyring: a token made with any other key matches nothing in its output")
	}
	kr, err := token.ParseKeyring(keys)
	if err != nil {
		return "", err
	}
	return token.New(kr).Token(token.Email, email), nil
}

// serve runs the service on addr until ctx is done, then shuts it down,
// flushing the spans and the "dropped records" summaries.
func serve(ctx context.Context, addr string) error {
	svc, err := newService(ctx, Config{
		Logs:         os.Stdout,
		Spans:        os.Stdout,
		Keys:         os.Getenv("VEIL_TOKEN_KEYS"),
		AdminToken:   os.Getenv("VEIL_ADMIN_TOKEN"),
		OTLP:         os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "",
		SampleRatio:  0.1,
		Warnings:     os.Stderr,
		WindowTimers: true,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           svc.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       time.Minute,
	}
	fmt.Fprintf(os.Stderr, "httpservice: listening on http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return errors.Join(ignoreClosed(err), srv.Shutdown(sctx), svc.Shutdown(sctx))
}

func ignoreClosed(err error) error {
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
