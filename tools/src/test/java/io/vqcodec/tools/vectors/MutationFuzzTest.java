package io.vqcodec.tools.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 2,000 seeded mutations of the vectors: each decodes or ends in a documented exception, none
 * hangs. Longer campaigns: {@link MutationFuzzer#main} (conformance/README.md).
 */
class MutationFuzzTest {
  @Test
  void mutatedVectorsDecodeOrFailCleanly() throws Exception {
    List<byte[]> corpus = MutationFuzzer.corpus(VectorGeneratorTest.VECTORS);
    assertThat(corpus).hasSizeGreaterThan(30);
    // Generous bounds: they catch hangs, not slowness.
    MutationFuzzer.Report r =
        assertTimeoutPreemptively(
            Duration.ofMinutes(5),
            () -> MutationFuzzer.run(corpus, 20240601L, 2000, Duration.ofSeconds(30)));
    assertThat(r.failures()).isEmpty();
    // The campaign reaches every layer: header refusals, lost slices, the entropy decoder.
    assertThat(r.refused()).isGreaterThan(200);
    assertThat(r.decoded()).isGreaterThan(200);
    assertThat(r.undecodableSlices()).isGreaterThan(50);
  }
}
