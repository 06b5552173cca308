package io.vqcodec.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A caller's pixel limit refuses a picture from its header, before any slice is read. */
class PixelLimitTest {
  static final Path VECTORS =
      Path.of(System.getProperty("vqcodec.root", ".."), "conformance/vectors");

  @Test
  void largestPictureIsRefusedBeforeAnySliceUnderALowerLimit() throws IOException {
    byte[] b = Files.readAllBytes(VECTORS.resolve("size-max-cells-16384x4096-pm0.vqc"));
    List<SliceReport> heard = new ArrayList<>();
    assertThatThrownBy(
            () ->
                TokenDecoder.decode(
                    new ByteArrayInputStream(b),
                    ModelRegistry.builtIn(),
                    LossSimulation.NONE,
                    16_777_216,
                    heard::add))
        .isInstanceOf(PictureTooLargeException.class)
        .hasMessage("picture 16384x4096 has 67108864 pixels, more than the limit of 16777216");
    assertThat(heard).isEmpty();
    DecodedTokens t =
        TokenDecoder.decode(
            new ByteArrayInputStream(b),
            ModelRegistry.builtIn(),
            LossSimulation.NONE,
            16384L * 4096,
            null);
    assertThat(t.grid().width()).isEqualTo(16384);
  }

  @Test
  void theLimitMustBePositive() throws IOException {
    byte[] b = Files.readAllBytes(VECTORS.resolve("size-1x1-coarse-pm0.vqc"));
    assertThatThrownBy(
            () ->
                TokenDecoder.decode(
                    new ByteArrayInputStream(b),
                    ModelRegistry.builtIn(),
                    LossSimulation.NONE,
                    0,
                    null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
