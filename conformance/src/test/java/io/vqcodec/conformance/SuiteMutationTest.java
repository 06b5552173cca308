package io.vqcodec.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite as one fail-fast test: every vector of the manifest, smallest stream first,
 * stopping at the first that fails. This is the test set of the mutation testing of the normative
 * decode code (conformance/README.md, "Mutation testing"): a mutant of the decoder is killed
 * exactly when some vector fails, and stopping at the first keeps a killed mutant's run short.
 */
class SuiteMutationTest {
  @Test
  void everyVectorPassesSmallestFirst() throws IOException {
    List<Manifest.Entry> m =
        new ArrayList<>(Manifest.read(ConformanceTest.VECTORS.resolve(Manifest.FILE)));
    m.sort(Comparator.comparingLong(Manifest.Entry::bytes).thenComparing(Manifest.Entry::name));
    assertThat(m).isNotEmpty();
    for (Manifest.Entry e : m) {
      List<ConformanceRunner.Verdict> v =
          ConformanceRunner.check(List.of(e), ConformanceTest.VECTORS, ConformanceTest.java());
      assertThat(v.get(0).pass()).as(v.get(0).toString()).isTrue();
    }
  }
}
