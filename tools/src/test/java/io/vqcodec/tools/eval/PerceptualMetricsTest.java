package io.vqcodec.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerceptualMetricsTest {
  /**
   * Standard output of libjxl 0.7.0's tools (Debian 12, libjxl-devtools 0.7.0-10+deb12u1) for
   * kodim01 against its {@code cjxl -d 3} decode, copied verbatim.
   */
  static final String BUTTERAUGLI_OUT = "3.0571091175\n3-norm: 1.499666\n";

  static final String SSIMULACRA_OUT = "0.05036252\n";

  @Test
  void parsesTheToolsRealOutput() throws IOException {
    assertThat(PerceptualMetrics.parseButteraugli(BUTTERAUGLI_OUT))
        .containsExactly(3.0571091175, 1.499666);
    assertThat(PerceptualMetrics.parseSsimulacra(SSIMULACRA_OUT)).isEqualTo(0.05036252);
    assertThat(PerceptualMetrics.parseButteraugli("0.0000000000\n3-norm: 0.000000\n"))
        .containsExactly(0.0, 0.0);
  }

  @Test
  void refusesOutputThatIsNotAScore() {
    assertThatThrownBy(
            () -> PerceptualMetrics.parseButteraugli("Usage: butteraugli_main <reference>\n"))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> PerceptualMetrics.parseButteraugli("3.0571091175\n"))
        .hasMessageContaining("unexpected output");
    assertThatThrownBy(() -> PerceptualMetrics.parseButteraugli("3.0571091175\n2-norm: 1.9\n"))
        .hasMessageContaining("no 3-norm line");
    assertThatThrownBy(() -> PerceptualMetrics.parseSsimulacra("0.05 0.06\n"))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> PerceptualMetrics.parseSsimulacra("")).isInstanceOf(IOException.class);
  }

  @Test
  void withoutToolsEveryScoreIsMissingAndSaidSo(@TempDir Path dir) throws IOException {
    PerceptualMetrics none = PerceptualMetrics.none();
    assertThat(none.anyAvailable()).isFalse();
    assertThat(none.missing()).hasSize(2);
    SourceImage src = source(dir);
    PerceptualMetrics.Scores s = none.measure(src, src.rgb(), dir);
    assertThat(s).isEqualTo(PerceptualMetrics.Scores.MISSING);
    assertThat(s.complete()).isFalse();
  }

  @Test
  void theInstalledToolsScoreIdenticalImagesZeroAndDistortedOnesAboveIt(@TempDir Path dir)
      throws IOException {
    PerceptualMetrics tools = PerceptualMetrics.onPath();
    assumeTrue(tools.missing().isEmpty(), "libjxl-devtools not installed: " + tools.missing());
    assertThat(tools.identity()).startsWith("butteraugli_main+ssimulacra_main libjxl-devtools ");
    SourceImage src = source(dir);
    PerceptualMetrics.Scores same = tools.measure(src, src.rgb(), dir);
    assertThat(same).isEqualTo(new PerceptualMetrics.Scores(0, 0, 0));

    BufferedImage posterized = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 120; y++) {
      for (int x = 0; x < 160; x++) posterized.setRGB(x, y, src.rgb().getRGB(x, y) & 0xC0C0C0);
    }
    PerceptualMetrics.Scores worse = tools.measure(src, posterized, dir);
    assertThat(worse.complete()).isTrue();
    assertThat(worse.butteraugli()).isGreaterThan(1.0);
    assertThat(worse.butteraugli3()).isPositive().isLessThanOrEqualTo(worse.butteraugli());
    assertThat(worse.ssimulacra()).isPositive();
  }

  /** A 160x120 test picture: gradients, a sharp edge and fine stripes. */
  static SourceImage source(Path dir) throws IOException {
    BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 120; y++) {
      for (int x = 0; x < 160; x++) {
        int r = x * 255 / 159, g = y * 255 / 119, b = (x / 3 + y / 5) % 2 == 0 ? 40 : 215;
        if (x > 100 && y > 60) r = g = 250;
        img.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    Path png = dir.resolve("test.png");
    ImageIO.write(img, "png", png.toFile());
    return SourceImage.load(png, dir);
  }
}
