package io.vqcodec.container;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the container reader (Jazzer): any bytes either parse into a header
 * and slices or end in {@link FormatException} (or another {@link IOException}); never another
 * exception, a hang or an allocation the limits of Spec Annex A do not bound. In {@code mvn verify}
 * it replays the saved inputs in {@code src/test/resources/.../ContainerFuzzTestInputs/}; a
 * campaign runs with {@code JAZZER_FUZZ=1} (tools/FUZZING.md).
 */
class ContainerFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void anyBytesParseOrFailCleanly(byte[] input) {
    try {
      ContainerReader r = ContainerReader.open(new ByteArrayInputStream(input));
      r.header();
      while (r.nextSlice() != null) {
        // read every slice: statuses, payloads and CRCs
      }
    } catch (IOException expected) {
      // FormatException and truncated input: a clean refusal
    }
  }
}
