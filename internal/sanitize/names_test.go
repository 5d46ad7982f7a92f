package sanitize

import "testing"

func TestDefaultSensitiveParam(t *testing.T) {
	sensitive := []string{
		"AWSAccessKeyId", "Signature", "sig", "X-Goog-Signature", "X-Amz-Signature", "X-Amz-Credential",
		"X-Amz-Security-Token", "x-amz-security-token", "access_token", "ACCESS_TOKEN", "accessToken", "id_token",
		"refresh_token", "token", "api_key", "apikey", "api-key", "client_secret", "password", "passwd", "pwd",
		"session_id", "sessionid", "JSESSIONID", "PHPSESSID", "otp", "code", "auth", "key", "csrf_token",
		"user[password]", "private_key", "secret",
	}
	plain := []string{
		"", "q", "id", "page", "zipcode", "countrycode", "keyword", "monkey", "author", "state", "redirect_uri",
		"email", "user[name]", "X-Amz-Algorithm", "X-Amz-Date", "Expires", "lang", "hotpot",
	}
	for _, n := range sensitive {
		if !DefaultSensitiveParam(n) {
			t.Errorf("DefaultSensitiveParam(%q) = false, want true", n)
		}
	}
	for _, n := range plain {
		if DefaultSensitiveParam(n) {
			t.Errorf("DefaultSensitiveParam(%q) = true, want false", n)
		}
	}
}

func TestDefaultHeaderDenied(t *testing.T) {
	denied := []string{
		"Authorization", "authorization", "Proxy-Authorization", "proxy_authorization", "Cookie", "Set-Cookie",
		"set_cookie", "X-Api-Key", "x_api_key", "X-Auth-Token", "X-Amz-Security-Token", "X-CSRF-Token", "X-XSRF-TOKEN",
		"x_csrftoken", "X-Auth-User", "http.request.header.authorization", "http.response.header.set_cookie",
		"HTTP.REQUEST.HEADER.X_API_KEY", "X-Session-Id", "X-Client-Secret",
		"X-Functions-Key", "Ocp-Apim-Subscription-Key", "X-Sentry-Auth", "X-Honeycomb-Team", "X-Master-Key",
	}
	allowed := []string{
		"", "Content-Type", "content_type", "Accept", "User-Agent", "X-Request-Id", "Traceparent", "Host",
		"http.request.header.content_type", "Author", "Idempotency-Key", "Sec-WebSocket-Key", "X-Team",
		"WWW-Authenticate", "Keep-Alive",
	}
	for _, n := range denied {
		if !DefaultHeaderDenied(n) {
			t.Errorf("DefaultHeaderDenied(%q) = false, want true", n)
		}
	}
	for _, n := range allowed {
		if DefaultHeaderDenied(n) {
			t.Errorf("DefaultHeaderDenied(%q) = true, want false", n)
		}
	}
}

func TestNamesLong(t *testing.T) {
	long := make([]byte, 4096)
	for i := range long {
		long[i] = 'a'
	}
	if DefaultSensitiveParam(string(long)) || DefaultHeaderDenied(string(long)) {
		t.Error("a long harmless name is reported sensitive")
	}
	if !DefaultSensitiveParam("token" + string(long)) {
		t.Error("a long name starting with token is not sensitive")
	}
}
