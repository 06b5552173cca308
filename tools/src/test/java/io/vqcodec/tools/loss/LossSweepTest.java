package io.vqcodec.tools.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.decoder.Concealment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep over a 192 x 176 crop (MS-SSIM needs 176 x 176) of the sample picture: two decodes per
 * setting, through the real codec.
 */
class LossSweepTest {
  static final LossSweep.Settings SETTINGS =
      new LossSweep.Settings(
          7,
          1,
          new String[] {"token", "slice"},
          new int[] {25},
          new String[] {"predict", "none"},
          4);

  @Test
  void sweepsARealStreamWithTheDecodersLossSimulation(@TempDir Path dir) throws IOException {
    BufferedImage full =
        ImageIO.read(
            Paths.get(System.getProperty("vqcodec.root", ".."), "samples/chelsea.png").toFile());
    BufferedImage crop = new BufferedImage(192, 176, BufferedImage.TYPE_INT_RGB);
    crop.getGraphics().drawImage(full.getSubimage(150, 60, 192, 176), 0, 0, null);
    ImageIO.write(crop, "png", dir.resolve("crop.png").toFile());
    ImageIO.write(crop, "png", dir.resolve("notes.txt").toFile()); // not listed: not an image name

    List<Path> images = LossSweep.images(dir, 10);
    assertThat(images).containsExactly(dir.resolve("crop.png"));
    List<LossSweep.Row> rows = LossSweep.run(images, 0, 1, SETTINGS);
    assertThat(rows).hasSize(1 + 2 * 2);

    LossSweep.Row lossless = rows.get(0);
    assertThat(lossless.p()).isZero();
    assertThat(lossless.seed()).isEqualTo(4); // seed + image index
    assertThat(lossless.cells()).isEqualTo(12 * 11);
    LossSweep.Row token = find(rows, "token", "predict"), tokenGray = find(rows, "token", "none");
    assertThat(token.lostTokens()).isEqualTo((int) Math.round(0.25 * lossless.tokens()));
    assertThat(tokenGray.lostTokens())
        .isEqualTo(token.lostTokens()); // the same loss for every concealment
    assertThat(token.psnr()).isLessThan(lossless.psnr()).isGreaterThan(tokenGray.psnr() + 3);
    LossSweep.Row slice = find(rows, "slice", "predict");
    assertThat(slice.lostCells()).isEqualTo(3 * 12); // round(25% of 11 one-row slices)
    assertThat(slice.lostTokens())
        .isIn(3 * 12, 3 * 12 * 4); // taken as fine unless the stream forces coarse

    LossSweep.write(dir.resolve("sweep"), rows, SETTINGS);
    List<LossSweep.Row> back = LossSweep.read(new String[] {dir.resolve("sweep.csv").toString()});
    assertThat(back).hasSize(rows.size());
    assertThat(back.get(3).lostTokens()).isEqualTo(rows.get(3).lostTokens());
    String md = LossSweep.summary(back, SETTINGS);
    assertThat(md)
        .contains("| 25% tokens |")
        .contains("| 25% slices |")
        .contains("`vqcodec encode -q 7 --slice-rows 1`");
  }

  @Test
  void namesAreTheClis() {
    assertThat(LossSweep.concealment("neighbours")).isEqualTo(Concealment.NEIGHBOURS);
    assertThatThrownBy(() -> LossSweep.concealment("transformer-soft"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LossSweep.unit("rows")).isInstanceOf(IllegalArgumentException.class);
  }

  private static LossSweep.Row find(List<LossSweep.Row> rows, String unit, String conceal) {
    return rows.stream()
        .filter(r -> r.unit().equals(unit) && r.conceal().equals(conceal))
        .findFirst()
        .orElseThrow();
  }
}
