//go:build !race

package otelredact

const raceEnabled = false
