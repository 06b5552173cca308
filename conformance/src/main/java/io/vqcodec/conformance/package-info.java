/**
 * Conformance suite of Spec Annex C: test vectors ({@code conformance/vectors/}), their manifest,
 * the canonical token serialisation ({@link io.vqcodec.conformance.TokenDump}), a runner that
 * checks a decoder against the manifest ({@link io.vqcodec.conformance.ConformanceRunner}), the
 * generator that made the vectors ({@link io.vqcodec.tools.vectors.VectorGenerator}) and a mutation
 * fuzzer ({@link io.vqcodec.tools.vectors.MutationFuzzer}). Implements bitstream version 0.1.
 */
package io.vqcodec.conformance;
