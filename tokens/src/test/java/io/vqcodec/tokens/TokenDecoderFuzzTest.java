package io.vqcodec.tokens;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the token decoder (Jazzer) over whole streams: container, model check,
 * both probability models' slice syntax and the entropy decoder. Any bytes decode into a grid
 * (damaged slices reported as lost) or end in an {@link IOException} (FormatException,
 * UnknownModelException, PictureTooLargeException); never another exception or a hang. Pictures are
 * limited to 2^20 pixels so that an input cannot spend the campaign on one huge grid. Seeds: a few
 * conformance vectors in {@code src/test/resources/.../TokenDecoderFuzzTestInputs/}; campaigns:
 * tools/FUZZING.md.
 */
class TokenDecoderFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void anyStreamDecodesOrFailsCleanly(byte[] input) {
    try {
      DecodedTokens t =
          TokenDecoder.decode(
              new ByteArrayInputStream(input),
              ModelRegistry.builtIn(),
              LossSimulation.NONE,
              1 << 20,
              null);
      if (t.grid().width() != t.header().codedWidth()) throw new AssertionError("grid size");
    } catch (IOException expected) {
      // a refused stream
    }
  }
}
