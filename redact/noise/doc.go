// Package noise blurs values that are useful only in aggregate: it adds
// calibrated random noise to numbers and generalizes values (buckets,
// rounding, IP prefixes, coarse timestamps, string prefixes).
//
// # Noise
//
// [Int] adds discrete Laplace (two-sided geometric) noise to integers and
// [Float] applies Mironov's snapping mechanism to floating-point numbers.
// Both are configured once with a privacy parameter epsilon and clamp bounds
// [lo, hi]; the sensitivity is hi-lo, the most one record can move the value.
// Apply is then cheap, allocation-free and safe for concurrent use, and
// returns an error (never panics) when randomness cannot be read.
//
// Noise helps when the values are only ever looked at in aggregate: the mean
// order amount over thousands of spans, a histogram of latencies. Each noisy
// value hides the true one in a cloud of width about (hi-lo)/epsilon, and the
// noise averages out over many records.
//
// Noise does not help when one record is inspected on its own with a large
// epsilon: at epsilon = 10 and bounds 0..100 the noise is about ±10, so a
// single value is still roughly visible. Conversely, at epsilon = 1 and
// bounds 0..10000 a single noisy value says almost nothing, which is the
// point, and a debugger looking at one span will find it useless.
//
// Per-record noise is not by itself a formal differential-privacy guarantee
// for a whole data set. Every record a person contributes, and every noisy
// release of the same value, spends epsilon again; without a budget that
// counts these releases (and bounds how many records one person can
// contribute) the total privacy loss is unbounded. Use noise as a blur that
// raises the cost of reading individual values, and keep the raw values out
// of the pipeline by other means.
//
// The samplers follow the published algorithms: the discrete Laplace sampler
// is built from exact Bernoulli(exp(-x)) trials driven by uniform random bits
// (Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential
// Privacy", 2020), with no floating-point inverse CDF; the snapping mechanism
// (Mironov, "On significance of the least significant bits for differential
// privacy", 2012) clamps, adds sign·λ·ln(U) with U uniform over all doubles
// in (0, 1), rounds to the nearest multiple of Λ, the smallest power of two
// >= λ = (hi-lo)/epsilon, and clamps again. Randomness comes from
// crypto/rand unless [WithRand] supplies a reader, which makes results
// reproducible in tests.
//
// # Generalization
//
// [BucketInt], [Edges], [Round], [IPPrefix], [TruncateTime] and
// [KeepPrefix] replace a value by a coarser one deterministically. They keep
// more utility for a single record than noise does, and protect less: a
// bucket or prefix still narrows a person down.
package noise
