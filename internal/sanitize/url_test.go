package sanitize

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestURL(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"clean", "https://example.com/a/b?x=1&y=two#top", "https://example.com/a/b?x=1&y=two#top"},
		{"reset token in the path", "https://app.example.com/reset/Zq8xW2vR7tY4uI0pL3kJ?x=1", "https://app.example.com/reset/REDACTED?x=1"},
		{"django reset", "/accounts/reset/MQ/5ac-8f1e2c3b4d5e6f7a8b9c/", "/accounts/reset/MQ/REDACTED/"},
		{"invite token, hex", "/Invite/9f86d081884c7d659a2feaf0c55ad015;jsessionid=abc", "/Invite/REDACTED;jsessionid=REDACTED"},
		{"magic link", "https://x.example/auth/magic-link/eyJ0b2tlbiI6IjEyMyJ9abc/confirm", "https://x.example/auth/magic-link/REDACTED/confirm"},
		{"not a token", "/reset/done, /verify/email-sent-successfully, /token/abc, /orders/Zq8xW2vR7tY4uI0pL3kJ", "/reset/done, /verify/email-sent-successfully, /token/abc, /orders/Zq8xW2vR7tY4uI0pL3kJ"},
		{"placeholder kept", "/reset/REDACTED", "/reset/REDACTED"},
		{"userinfo", "https://alice:s3cret@example.com/p", "https://REDACTED:REDACTED@example.com/p"},
		{"user only", "https://alice@example.com/", "https://REDACTED@example.com/"},
		{"empty userinfo", "https://@example.com/", "https://@example.com/"},
		{"at in path kept", "https://medium.com/@alice/post", "https://medium.com/@alice/post"},
		{"port kept", "http://example.com:8080/x", "http://example.com:8080/x"},
		{"ipv6 host kept", "http://[::1]:80/x", "http://[::1]:80/x"},
		{"password with slash", "http://user:pa/ss@host/x", "http://REDACTED:REDACTED@host/x"},
		{"password with at", "http://user:p@ss@host/x", "http://REDACTED:REDACTED@host/x"},
		{"no scheme userinfo", "user:pw@host/x", "REDACTED:REDACTED@host/x"},
		{"bad scheme", "ht tp://user:pw@host", "ht tp://REDACTED:REDACTED@host"},
		{"protocol relative", "//user:pw@host/x?token=t", "//REDACTED:REDACTED@host/x?token=REDACTED"},
		{"query", "https://x/p?x=1&access_token=abc&b=2", "https://x/p?x=1&access_token=REDACTED&b=2"},
		{"order and encoding kept", "https://x/?b=%2F&a=1+2&password=p&A=%7e", "https://x/?b=%2F&a=1+2&password=REDACTED&A=%7e"},
		{"semicolon separator", "https://x/?a=1;token=t", "https://x/?a=1;token=REDACTED"},
		{"case insensitive", "https://x/?API_KEY=k&Password=p&ApiKey=k", "https://x/?API_KEY=REDACTED&Password=REDACTED&ApiKey=REDACTED"},
		{"encoded name", "https://x/?access%5Ftoken=t&pass%77ord=p", "https://x/?access%5Ftoken=REDACTED&pass%77ord=REDACTED"},
		{"bracket name", "https://x/?user[password]=p&user[name]=n", "https://x/?user[password]=REDACTED&user[name]=n"},
		{"s3 presigned", "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20240101&X-Amz-Signature=abc&X-Amz-Security-Token=tok&X-Amz-Expires=60",
			"https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Security-Token=REDACTED&X-Amz-Expires=60"},
		{"s3 v2", "https://b.s3.amazonaws.com/k?AWSAccessKeyId=AKIA&Expires=1&Signature=xyz", "https://b.s3.amazonaws.com/k?AWSAccessKeyId=REDACTED&Expires=1&Signature=REDACTED"},
		{"gcs", "https://storage.googleapis.com/b/o?X-Goog-Signature=ab&X-Goog-Date=1", "https://storage.googleapis.com/b/o?X-Goog-Signature=REDACTED&X-Goog-Date=1"},
		{"azure sas", "https://a.blob.core.windows.net/c?sv=2020&sig=abc%3D", "https://a.blob.core.windows.net/c?sv=2020&sig=REDACTED"},
		{"short names", "https://x/?code=c&otp=1&pwd=p&key=k&sid=s&zipcode=9&keyword=w", "https://x/?code=REDACTED&otp=REDACTED&pwd=REDACTED&key=REDACTED&sid=REDACTED&zipcode=9&keyword=w"},
		{"no value", "https://x/?token&password=", "https://x/?token&password="},
		{"bare query", "a=1&token=secret&b=2", "a=1&token=REDACTED&b=2"},
		{"bare query with slash in value", "next=/home&token=t", "next=/home&token=REDACTED"},
		{"leading question mark", "?token=t", "?token=REDACTED"},
		{"relative", "/cb?session_id=s", "/cb?session_id=REDACTED"},
		{"fragment oauth implicit", "https://app/cb#access_token=t&token_type=bearer&state=s", "https://app/cb#access_token=REDACTED&token_type=REDACTED&state=s"},
		{"fragment route", "/app#/cb?code=c&state=1", "/app#/cb?code=REDACTED&state=1"},
		{"fragment plain", "/doc#section-2", "/doc#section-2"},
		{"path parameter", "/x;jsessionid=S3CR3T/y?a=b", "/x;jsessionid=REDACTED/y?a=b"},
		{"nested encoded", "/login?next=https%3A%2F%2Fh%2Fx%3Ftoken%3Dt&q=1", "/login?next=REDACTED&q=1"},
		{"nested raw", "/login?next=https://h/x?token=t", "/login?next=REDACTED"},
		{"nested userinfo", "/go?to=http%3A%2F%2Fu%3Ap%40h%2F", "/go?to=REDACTED"},
		{"nested clean kept", "/go?to=https%3A%2F%2Fh%2Fx%3Fa%3D1", "/go?to=https%3A%2F%2Fh%2Fx%3Fa%3D1"},
		{"email value kept", "/s?email=alice@example.com", "/s?email=alice@example.com"},
		{"bad escapes kept", "/s?a=%zz&token=%zz", "/s?a=%zz&token=REDACTED"},
		{"invalid utf8", "/s?a=\xff&token=\xfe", "/s?a=\uFFFD&token=REDACTED"},
		{"marker stable", URLMarker, URLMarker},
		{"too large", "https://x/?a=" + strings.Repeat("b", MaxLen), URLMarker},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := URL(tt.in, nil)
			if got != tt.want {
				t.Errorf("URL(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if again := URL(got, nil); again != got {
				t.Errorf("not idempotent: %q -> %q", got, again)
			}
		})
	}
}

func TestURLCustomSensitive(t *testing.T) {
	var seen []string
	only := func(name string) bool {
		seen = append(seen, name)
		return name == "ssn no"
	}
	got := URL("https://u:p@x/?ssn+no=1&token=t&ssn%20no=2", only)
	if want := "https://REDACTED:REDACTED@x/?ssn+no=REDACTED&token=t&ssn%20no=REDACTED"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if len(seen) == 0 || seen[0] != "ssn no" {
		t.Errorf("sensitive was called with %q, want decoded names", seen)
	}
}

// TestURLMatchesNetURL checks that the result still parses to the same
// structure as the input, apart from the redacted parts.
func TestURLMatchesNetURL(t *testing.T) {
	in := "https://alice:pw@example.com:8443/a%2Fb/c?z=1&token=t&a=%C3%A9#frag"
	got := URL(in, nil)
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := url.Parse(in)
	if u.Host != orig.Host || u.EscapedPath() != orig.EscapedPath() || u.Fragment != orig.Fragment {
		t.Errorf("structure changed: %q -> %q", in, got)
	}
	if p, _ := u.User.Password(); u.User.Username() != Redacted || p != Redacted {
		t.Errorf("userinfo = %v", u.User)
	}
	q := u.Query()
	if q.Get("token") != Redacted || q.Get("z") != "1" || q.Get("a") != "é" {
		t.Errorf("query = %v", q)
	}
}

func TestURLCanary(t *testing.T) {
	const c = "CanarY7731"
	for _, in := range []string{
		"https://user:" + c + "@h/",
		"https://" + c + "@h/",
		"https://" + c + ":x@h/",
		"https://u:" + c + "/x@h/",
		"//u:" + c + "@h",
		"u:" + c + "@h/p",
		"https://h/?access_token=" + c,
		"https://h/?id_token=" + c + "&x=1",
		"https://h/?client_secret=" + c,
		"https://h/?api_key=" + c,
		"https://h/?apikey=" + c,
		"https://h/?passwd=" + c,
		"https://h/?sessionid=" + c,
		"https://h/?X-Amz-Signature=" + c,
		"https://h/?a=1;token=" + c,
		"token=" + c,
		"https://h/cb#access_token=" + c,
		"https://h/#/r?code=" + c,
		"https://h/p;jsessionid=" + c + "?a=1",
		"https://h/?next=" + url.QueryEscape("https://h2/?token="+c),
		"https://h/?next=" + url.QueryEscape("https://u:"+c+"@h2/"),
		"https://h/?next=https://h2/?token=" + c,
		"https://h/?token=" + c + "\xff",
	} {
		if got := URL(in, nil); strings.Contains(got, c) {
			t.Errorf("URL(%q) = %q leaks the canary", in, got)
		}
	}
}

func FuzzURL(f *testing.F) {
	f.Add("https", "example.com", "/a/b", "x=1&y=2", "frag")
	f.Add("", "h:80", "/p;x=1", "a=%2F&b", "/r?code=c")
	f.Add("ht tp", "[::1]", "@a/b", "a=https%3A%2F%2Fh%3Ftoken%3Dx", "")
	f.Add("x", "h@i/j", "?#", "&;=", "#?")
	f.Fuzz(func(t *testing.T, scheme, host, path, q1, frag string) {
		const c = "CanarY7731"
		for _, s := range []string{scheme, host, path, q1, frag} {
			if strings.Contains(s, "CanarY") {
				t.Skip()
			}
		}
		for _, in := range []string{scheme, host + path + "?" + q1 + "#" + frag} {
			got := URL(in, nil)
			if !utf8.ValidString(got) {
				t.Fatalf("URL(%q) = %q: invalid UTF-8", in, got)
			}
			if again := URL(got, nil); again != got {
				t.Fatalf("not idempotent for %q:\n1: %q\n2: %q", in, got, again)
			}
		}
		// A canary in the userinfo or a sensitive parameter never survives,
		// whatever surrounds it.
		scheme = strings.Map(func(r rune) rune {
			if 'a' <= r && r <= 'z' {
				return r
			}
			return -1
		}, scheme)
		if scheme != "" {
			scheme += ":"
		}
		in := scheme + "//user:" + c + "@" + host + path + "?" + q1 + "&token=" + c + "&" + q1 + "#" + frag
		if got := URL(in, nil); strings.Contains(got, c) {
			t.Fatalf("URL(%q) = %q leaks the canary", in, got)
		}
	})
}
