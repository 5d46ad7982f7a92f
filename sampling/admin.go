package sampling

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxAdminBody is the largest request body the admin handler reads.
const MaxAdminBody = 16 << 10

// AdminHandler returns an http.Handler that manages the debug windows:
//
//	GET                 list the open windows
//	POST   (JSON body)  open a window
//	DELETE ?id=<id>     close a window
//
// Every request is first passed to authorize, which returns the actor (who
// is asking) or an error; requests it refuses get 403 Forbidden. A nil
// authorize refuses every request: the application must decide who may
// raise the capture level of its production traffic. The actor of opened
// and closed windows is the one returned by authorize, never one from the
// body.
//
// The body of a POST is a JSON object (Content-Type application/json, at
// most [MaxAdminBody] bytes):
//
//	{
//	  "match":    {"route": "/checkout", "tenant": "", "user": "tok_…", "attr_key": "", "attr_value": ""},
//	  "level":    "DEBUG",   // slog level name; default DEBUG
//	  "rate":     1,         // in (0, 1]; default 1
//	  "duration": "15m",     // required; at most the configured maximum
//	  "reason":   "INC-1234 checkout failures"
//	}
//
// Responses are JSON; errors are {"error": "..."} and never echo input.
func (ws *Windows) AdminHandler(authorize func(r *http.Request) (actor string, err error)) http.Handler {
	return &adminHandler{ws: ws, authorize: authorize}
}

type adminHandler struct {
	ws        *Windows
	authorize func(*http.Request) (string, error)
}

type matchJSON struct {
	Route     string `json:"route,omitempty"`
	Tenant    string `json:"tenant,omitempty"`
	User      string `json:"user,omitempty"`
	AttrKey   string `json:"attr_key,omitempty"`
	AttrValue string `json:"attr_value,omitempty"`
}

type openJSON struct {
	Match    matchJSON `json:"match"`
	Level    *string   `json:"level"`
	Rate     *float64  `json:"rate"`
	Duration string    `json:"duration"`
	Reason   string    `json:"reason"`
}

type windowJSON struct {
	ID       string    `json:"id"`
	Match    matchJSON `json:"match"`
	Level    string    `json:"level"`
	Rate     float64   `json:"rate"`
	Duration string    `json:"duration"`
	Reason   string    `json:"reason"`
	Actor    string    `json:"actor"`
	Opened   time.Time `json:"opened"`
	Expires  time.Time `json:"expires"`
}

func toJSON(w Window) windowJSON {
	m := w.Spec.Match
	return windowJSON{
		ID:       w.ID,
		Match:    matchJSON(m),
		Level:    w.Spec.Level.String(),
		Rate:     w.Spec.Rate,
		Duration: w.Spec.Duration.String(),
		Reason:   w.Spec.Reason,
		Actor:    w.Spec.Actor,
		Opened:   w.Opened.UTC(),
		Expires:  w.Expires.UTC(),
	}
}

func (h *adminHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if h.authorize == nil {
		writeError(w, http.StatusForbidden, "forbidden: no authorizer is configured for debug windows")
		return
	}
	actor, err := h.authorize(r)
	if err != nil || actor == "" {
		writeError(w, http.StatusForbidden, "forbidden")
		return
	}
	switch r.Method {
	case http.MethodGet:
		list := h.ws.List()
		out := make([]windowJSON, 0, len(list))
		for _, win := range list {
			out = append(out, toJSON(win))
		}
		writeJSON(w, http.StatusOK, map[string]any{"windows": out})
	case http.MethodPost:
		h.open(w, r, actor)
	case http.MethodDelete:
		id := r.URL.Query().Get("id")
		if id == "" {
			writeError(w, http.StatusBadRequest, "missing query parameter id: DELETE ?id=<window id>")
			return
		}
		if err := h.ws.Close(id, actor); err != nil {
			writeError(w, http.StatusNotFound, err.Error())
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", "GET, POST, DELETE")
		writeError(w, http.StatusMethodNotAllowed, "method not allowed; use GET, POST or DELETE")
	}
}

func (h *adminHandler) open(w http.ResponseWriter, r *http.Request, actor string) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "application/json") {
		writeError(w, http.StatusUnsupportedMediaType, "send the window as JSON with Content-Type: application/json")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxAdminBody))
	if err != nil {
		status, msg := decodeError(err)
		writeError(w, status, msg)
		return
	}
	if !utf8.Valid(body) {
		writeError(w, http.StatusBadRequest, "request body is not valid UTF-8")
		return
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var in openJSON
	if err := dec.Decode(&in); err != nil {
		status, msg := decodeError(err)
		writeError(w, status, msg)
		return
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		writeError(w, http.StatusBadRequest, "request body must hold a single JSON object")
		return
	}
	spec := Spec{Match: Match(in.Match), Level: slog.LevelDebug, Rate: 1, Reason: in.Reason, Actor: actor}
	if in.Level != nil {
		if err := spec.Level.UnmarshalText([]byte(*in.Level)); err != nil {
			writeError(w, http.StatusBadRequest, `field "level" is not a level name such as DEBUG, INFO or DEBUG-2`)
			return
		}
	}
	if in.Rate != nil {
		spec.Rate = *in.Rate
	}
	if in.Duration == "" {
		writeError(w, http.StatusBadRequest, fmt.Sprintf(`field "duration" is required, e.g. "15m" (at most %v); windows are never indefinite`, h.ws.cfg.maxWindow))
		return
	}
	d, err := time.ParseDuration(in.Duration)
	if err != nil {
		writeError(w, http.StatusBadRequest, `field "duration" is not a duration such as "15m" or "1h"`)
		return
	}
	spec.Duration = d
	win, err := h.ws.Open(spec)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, toJSON(win))
}

// decodeError maps a JSON decoding error to a status and a message that
// does not echo the input.
func decodeError(err error) (int, string) {
	var (
		mbe *http.MaxBytesError
		se  *json.SyntaxError
		te  *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("request body exceeds %d bytes", MaxAdminBody)
	case err != nil && !isJSONError(err):
		return http.StatusBadRequest, "request body could not be read"
	case errors.Is(err, io.EOF):
		return http.StatusBadRequest, "request body is empty; send a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return http.StatusBadRequest, "request body is truncated JSON"
	case errors.As(err, &se):
		return http.StatusBadRequest, fmt.Sprintf("request body is not valid JSON (at byte %d)", se.Offset)
	case errors.As(err, &te):
		if te.Field == "" {
			return http.StatusBadRequest, "request body must be a JSON object"
		}
		return http.StatusBadRequest, fmt.Sprintf("field %q must be a JSON %s", te.Field, jsonKind(te.Type.Kind().String()))
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return http.StatusBadRequest, `unknown field; allowed: "match" (route, tenant, user, attr_key, attr_value), "level", "rate", "duration", "reason"`
	}
	return http.StatusBadRequest, "request body is not a valid window"
}

func isJSONError(err error) bool {
	var (
		se *json.SyntaxError
		te *json.UnmarshalTypeError
	)
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &se) ||
		errors.As(err, &te) || strings.HasPrefix(err.Error(), "json: ")
}

func jsonKind(k string) string {
	switch k {
	case "float64", "int", "int64":
		return "number"
	case "ptr":
		return "value of the documented type"
	}
	return k
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
