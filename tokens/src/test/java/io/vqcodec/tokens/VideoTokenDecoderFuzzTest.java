package io.vqcodec.tokens;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the video token decoder (Jazzer): any bytes either decode into frames
 * (lost slices and frames reported, Spec §10.7) or end in an {@link IOException} from the header;
 * never another exception, a hang or an unbounded allocation. The video reader's resynchronisation,
 * frame headers, frame index and predicted slices (Spec §10.3 to §10.6) are all reached from the
 * seeds in {@code src/test/resources/.../VideoTokenDecoderFuzzTestInputs/}: three real frames (key,
 * predicted, key), a lower quality step, a damaged frame header, a synthetic pan of six frames
 * whose predicted frames are motion frames (Spec §10.9), and compact frame headers (Spec §9.6.3:
 * the encoder's clip since version_minor 5, and three conformance vectors, one with a damaged
 * header). A campaign runs with {@code JAZZER_FUZZ=1} (tools/FUZZING.md).
 */
class VideoTokenDecoderFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void anyBytesDecodeOrFailCleanly(byte[] input) {
    try {
      VideoTokenDecoder d =
          VideoTokenDecoder.open(new ByteArrayInputStream(input), ModelRegistry.builtIn(), 1 << 20);
      for (int n = 0; d.next() != null; n++) {
        if (n > 100_000) throw new AssertionError("no end");
      }
      d.index();
    } catch (IOException expected) {
      // a header that is malformed, damaged, too large, or names a model this build lacks
    }
  }
}
