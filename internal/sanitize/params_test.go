package sanitize

import (
	"strings"
	"testing"
)

func TestSQLParams(t *testing.T) {
	secret := func(c string) bool {
		c = strings.ToLower(c)
		return strings.Contains(c, "password") || strings.HasSuffix(c, "token") || c == "pw"
	}
	for _, c := range []struct {
		q    string
		want []int
	}{
		{`INSERT INTO "users" ("email","password") VALUES ($1,$2)`, []int{1}},
		{"INSERT INTO `users` (`name`,`password`) VALUES (?,?),(?,?)", []int{1, 3}},
		{`UPDATE users SET password = $2, updated_at = now() WHERE id = $1`, []int{1}},
		{`SELECT id FROM sessions WHERE token=@p1 AND user_id = @p2`, []int{0}},
		{`SELECT id FROM sessions WHERE user_id = ? AND reset_token = ?`, []int{1}},
		{`INSERT INTO t (a, pw) VALUES ($1, crypt($2, gen_salt($3)))`, []int{1, 2}}, // a function's arguments in pw's place
		{`INSERT INTO public.users (id, password_hash) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET password_hash = $2`, []int{1}},
		{`SELECT * FROM users WHERE password LIKE $1`, []int{0}},
		{`INSERT INTO [dbo].[Users] ([Email], [Password]) VALUES (@p1, @p2)`, []int{1}},
		// none
		{`INSERT INTO users VALUES ($1, $2)`, nil},                          // no column list
		{`INSERT INTO users (name, email) VALUES ($1, $2)`, nil},            // no secret column
		{`SELECT * FROM users WHERE password = :password`, nil},             // named
		{`SELECT * FROM users WHERE id IN ($1, $2)`, nil},                   //
		{`INSERT INTO t (a, pw) SELECT $1, $2`, nil},                        // no VALUES
		{`SELECT $1::text, password FROM users`, nil},                       // not compared
		{strings.Repeat("x", MaxLen+1) + " password = $1", nil},             // too long
		{`INSERT INTO t (a, pw) VALUES ($1, $100)`, nil},                    // beyond MaxParams
		{`INSERT INTO "users" ("email","password") VALUES ('a', 'b')`, nil}, // literals (SQL sanitizes them)
	} {
		got := SQLParams(c.q, secret)
		var want uint64
		for _, i := range c.want {
			want |= 1 << i
		}
		if got != want {
			t.Errorf("SQLParams(%.80q) = %b, want %b", c.q, got, want)
		}
	}
	if SQLParams("password = $1", nil) != 0 {
		t.Error("nil predicate")
	}
}

func FuzzSQLParams(f *testing.F) {
	f.Add(`INSERT INTO t (a, pw) VALUES ($1, crypt($2, gen_salt($3)))`)
	f.Add("UPDATE `users` SET `password`=? WHERE id = ?")
	f.Add(`SELECT 1 WHERE password = @p1`)
	f.Fuzz(func(t *testing.T, q string) {
		SQLParams(q, func(string) bool { return true }) // never panics
	})
}
