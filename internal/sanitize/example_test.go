package sanitize_test

import (
	"fmt"

	"github.com/veilhq/veil/internal/sanitize"
)

func ExampleSQL() {
	fmt.Println(sanitize.SQL("SELECT * FROM users WHERE email = 'alice@example.com' AND id IN (1, 2) /* user=alice */"))
	// Output: SELECT * FROM users WHERE email = ? AND id IN (?, ?)
}

func ExampleSQLFor() {
	// In MySQL "..." is a string; in PostgreSQL an identifier.
	fmt.Println(sanitize.SQLFor("mysql", `SELECT a FROM t WHERE b = "alice"`))
	fmt.Println(sanitize.SQLFor("postgresql", `SELECT a FROM t WHERE b = "Alice" AND c = $$x$$`))
	// Output:
	// SELECT a FROM t WHERE b = ?
	// SELECT a FROM t WHERE b = "Alice" AND c = ?
}

func ExampleURL() {
	fmt.Println(sanitize.URL("https://bob:hunter2@example.com/cb?b=2&access_token=abc&a=1#id_token=xyz", nil))
	fmt.Println(sanitize.URL("page=2&api_key=k", nil)) // a bare url.query
	// Output:
	// https://REDACTED:REDACTED@example.com/cb?b=2&access_token=REDACTED&a=1#id_token=REDACTED
	// page=2&api_key=REDACTED
}

func ExampleDefaultHeaderDenied() {
	for _, h := range []string{"Authorization", "http.request.header.x_api_key", "Content-Type"} {
		fmt.Println(h, sanitize.DefaultHeaderDenied(h))
	}
	// Output:
	// Authorization true
	// http.request.header.x_api_key true
	// Content-Type false
}
