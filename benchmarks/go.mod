module github.com/veilhq/veil/benchmarks

go 1.26.0

require github.com/veilhq/veil v0.0.0

require (
	golang.org/x/net v0.59.0 // indirect
	golang.org/x/text v0.42.0 // indirect
)

replace github.com/veilhq/veil => ../
