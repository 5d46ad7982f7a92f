package redact

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log"
	"log/slog"
	"strings"
	"testing"
)

func TestSecretNeverRendered(t *testing.T) {
	const raw = "hunter2-secret"
	s := NewSecret(raw)
	if s.Reveal() != raw {
		t.Fatal("Reveal lost the value")
	}
	type holder struct {
		S Secret[string]
		P *Secret[string]
	}
	h := holder{s, &s}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s"} {
		outs = append(outs, fmt.Sprintf(verb, s), fmt.Sprintf(verb, &s), fmt.Sprintf(verb, h), fmt.Sprintf(verb, []any{s}))
	}
	outs = append(outs, fmt.Sprint(s), fmt.Sprintln(s), s.String(), s.GoString())
	j, _ := json.Marshal(h)
	tx, _ := s.MarshalText()
	x, err := xml.Marshal(xmlHolder{s})
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, string(j), string(tx), string(x))
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "s", s, "h", h)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("m", "s", s, "h", h)
	log.New(&buf, "", 0).Printf("%v %+v", s, h)
	outs = append(outs, buf.String())
	for _, o := range outs {
		if strings.Contains(o, raw) || !strings.Contains(o, "REDACTED") {
			t.Errorf("Secret rendered as %q", o)
		}
	}
	if q := fmt.Sprintf("%q", s); q != `"[REDACTED]"` {
		t.Errorf("%%q = %s", q)
	}
	if string(j) != `{"S":"[REDACTED]","P":"[REDACTED]"}` {
		t.Errorf("json = %s", j)
	}
	var zero Secret[[]byte]
	if zero.Reveal() != nil || zero.String() != Redacted {
		t.Error("zero Secret")
	}
}

type xmlHolder struct{ S Secret[string] }
