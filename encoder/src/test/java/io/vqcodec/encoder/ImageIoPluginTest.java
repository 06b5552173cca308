package io.vqcodec.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ImageIO plugins, found only through their META-INF/services registration. */
class ImageIoPluginTest {
  @TempDir Path dir;

  static BufferedImage chelsea() throws IOException {
    return ImageIO.read(
        Paths.get(System.getProperty("vqcodec.root", ".."), "samples/chelsea.png").toFile());
  }

  @Test
  void writeThenReadThroughImageIo() throws IOException {
    File file = dir.resolve("chelsea.vqc").toFile();
    assertThat(ImageIO.write(chelsea(), "vqc", file)).isTrue();
    assertThat(Files.size(file.toPath())).isBetween(500L, 20_000L);

    BufferedImage back = ImageIO.read(file); // found by the magic, not the suffix
    assertThat(back).isNotNull();
    assertThat(back.getWidth()).isEqualTo(451);
    assertThat(back.getHeight()).isEqualTo(300);
    assertThat(EncoderRoundTripTest.psnr(chelsea(), back)).isGreaterThan(22.0);
  }

  @Test
  void readerFindsStreamsByMagicAndReportsSizeFromTheHeader() throws IOException {
    File file = dir.resolve("no-suffix").toFile();
    ImageIO.write(chelsea(), "vqc", file);
    try (ImageInputStream in = ImageIO.createImageInputStream(file)) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      assertThat(readers.hasNext()).isTrue();
      ImageReader reader = readers.next();
      assertThat(reader.getOriginatingProvider().getFormatNames()).contains("vqc");
      reader.setInput(in);
      assertThat(reader.getWidth(0)).isEqualTo(451);
      assertThat(reader.getHeight(0)).isEqualTo(300);
      reader.dispose();
    }
  }

  @Test
  void pngIsNotMistakenForVqc() throws IOException {
    File png = dir.resolve("x.png").toFile();
    ImageIO.write(chelsea(), "png", png);
    try (ImageInputStream in = ImageIO.createImageInputStream(png)) {
      ImageIO.getImageReaders(in)
          .forEachRemaining(
              r -> assertThat(r.getOriginatingProvider().getFormatNames()).doesNotContain("vqc"));
    }
  }

  @Test
  void compressionQualityPicksTheLadderStep() throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("vqc").next();
    long[] sizes = new long[2];
    float[] qualities = {0f, 1f};
    for (int i = 0; i < 2; i++) {
      Path out = dir.resolve("q" + i + ".vqc");
      try (ImageOutputStream os = ImageIO.createImageOutputStream(out.toFile())) {
        writer.setOutput(os);
        ImageWriteParam p = writer.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(qualities[i]);
        writer.write(null, new IIOImage(chelsea(), null, null), p);
      }
      sizes[i] = Files.size(out);
    }
    writer.dispose();
    assertThat(sizes[1]).isGreaterThan(4 * sizes[0]);
  }
}
