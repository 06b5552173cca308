package io.vqcodec.decoder.imageio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.decoder.ImageDecoder;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;

/** The ImageIO reader's limits and its decoder pool (issue 19, defect 7). */
class VqcImageReaderTest {
  static final Path VECTORS =
      Path.of(System.getProperty("vqcodec.root", ".."), "conformance/vectors");

  @Test
  void readParamPixelLimitRefusesFromTheHeader() throws IOException {
    ImageReader r = ImageIO.getImageReadersBySuffix("vqc").next();
    VqcReadParam p = (VqcReadParam) r.getDefaultReadParam();
    assertThat(p.getMaxPixels()).isEqualTo(1L << 26);
    p.setMaxPixels(1_000_000);
    try (ImageInputStream in =
        ImageIO.createImageInputStream(
            VECTORS.resolve("size-max-cells-16384x4096-pm0.vqc").toFile())) {
      r.setInput(in);
      assertThat(r.getWidth(0)).isEqualTo(16384); // the header alone
      assertThatThrownBy(() -> r.read(0, p))
          .isInstanceOf(IIOException.class)
          .hasMessageContaining("16384x4096")
          .hasMessageContaining("more than the limit of 1000000");
    } finally {
      r.dispose();
    }
    assertThatThrownBy(() -> p.setMaxPixels(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theSystemPropertySetsTheDefaultLimit() {
    String old = System.getProperty(VqcReadParam.MAX_PIXELS_PROPERTY);
    try {
      System.setProperty(VqcReadParam.MAX_PIXELS_PROPERTY, "12345");
      assertThat(new VqcReadParam().getMaxPixels()).isEqualTo(12345);
      System.setProperty(VqcReadParam.MAX_PIXELS_PROPERTY, "nonsense");
      assertThat(new VqcReadParam().getMaxPixels()).isEqualTo(1L << 26);
    } finally {
      if (old == null) System.clearProperty(VqcReadParam.MAX_PIXELS_PROPERTY);
      else System.setProperty(VqcReadParam.MAX_PIXELS_PROPERTY, old);
    }
  }

  /** A read in progress holds one decoder; another read gets another, never waiting for it. */
  @Test
  void concurrentReadsGetTheirOwnDecoders() {
    ImageDecoder busy = VqcImageReader.DecoderPool.take();
    ImageDecoder other = VqcImageReader.DecoderPool.take();
    try {
      assertThat(other).isNotSameAs(busy);
    } finally {
      VqcImageReader.DecoderPool.give(other);
      VqcImageReader.DecoderPool.give(busy);
    }
    ImageDecoder again = VqcImageReader.DecoderPool.take();
    assertThat(again).isIn(busy, other); // idle decoders (and their loaded models) are reused
    VqcImageReader.DecoderPool.give(again);
  }
}
