package io.vqcodec.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure-Java Y4M writer and reader. */
class Y4mTest {
  @TempDir Path dir;

  /**
   * RGB to 8-bit full-range BT.601 Y'CbCr and back is within 1 per channel: each of Y', Cb, Cr is
   * rounded by at most 0.5, which moves R, G or B by at most 0.5 + 0.886 (B, from Cb) before the
   * final rounding.
   */
  @ParameterizedTest
  @CsvSource({"64, 48, 4", "33, 17, 5", "1, 1, 2"})
  void roundTripKeepsSizeRateCountAndPixelsWithinOne(int w, int h, int n) throws IOException {
    List<BufferedImage> frames = Frames.clip(w, h, n, 7);
    Path out = dir.resolve("clip.y4m");
    try (FrameSink sink = FrameSink.create(out, w, h, 30000, 1001)) {
      for (BufferedImage f : frames) sink.write(f);
      assertThat(sink.frameCount()).isEqualTo(n);
    }
    assertThat(new String(Files.readAllBytes(out), 0, 60, StandardCharsets.US_ASCII))
        .startsWith("YUV4MPEG2 W" + w + " H" + h + " F30000:1001 Ip A1:1 C444 XCOLORRANGE=FULL\n");
    assertThat(Files.size(out))
        .isEqualTo(
            Y4mHeader.forWriting(w, h, 30000, 1001).toBytes().length + n * (6L + 3L * w * h));
    try (FrameSource in = FrameSource.open(out)) {
      assertThat(in.width()).isEqualTo(w);
      assertThat(in.height()).isEqualTo(h);
      assertThat(in.rateNum()).isEqualTo(30000);
      assertThat(in.rateDen()).isEqualTo(1001);
      assertThat(in.frameCount()).isEqualTo(n);
      assertThat(in.hasAudio()).isFalse();
      for (int i = 0; i < n; i++) {
        VideoFrame f = in.next();
        assertThat(f.index()).isEqualTo(i);
        assertThat(f.timestampMicros()).isEqualTo(i * 1_001_000_000L / 30000);
        assertThat(Frames.maxDiff(f.image(), frames.get(i))).isLessThanOrEqualTo(1);
      }
      assertThat(in.next()).isNull();
    }
  }

  /** Pure colours, where the conversion is exact or off by one at most, in the right direction. */
  @Test
  void primariesSurviveTheRoundTrip() throws IOException {
    int[] colours = {0x000000, 0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF, 0x808080, 0x123456};
    BufferedImage img = new BufferedImage(colours.length, 1, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < colours.length; i++) img.setRGB(i, 0, colours[i]);
    Path out = dir.resolve("p.y4m");
    try (FrameSink sink = FrameSink.create(out, colours.length, 1, 25, 1)) {
      sink.write(img);
    }
    try (FrameSource in = FrameSource.open(out)) {
      BufferedImage back = in.next().image();
      assertThat(Frames.maxDiff(back, img)).isLessThanOrEqualTo(1);
      assertThat(back.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x000000);
      assertThat(back.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
      assertThat(back.getRGB(5, 0) & 0xFFFFFF).isEqualTo(0x808080);
    }
  }

  /** A hand-made 10-bit 4:2:0 limited-range file: Y' 940 is white, 64 black, Cb = Cr = 512 gray. */
  @Test
  void readsTenBitLimitedRange() throws IOException {
    int w = 3, h = 3, cw = 2, ch = 2;
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("YUV4MPEG2 W3 H3 F25:1 Ip A0:0 C420p10 XYSCSS=420P10\nFRAME\n".getBytes());
    int[] luma = {64, 940, 503, 64, 940, 503, 64, 940, 503};
    for (int v : luma) sample16(b, v);
    for (int i = 0; i < 2 * cw * ch; i++) sample16(b, 512);
    Path f = dir.resolve("ten.y4m");
    Files.write(f, b.toByteArray());
    try (FrameSource in = FrameSource.open(f)) {
      assertThat(in.frameCount()).isEqualTo(1);
      BufferedImage img = in.next().image();
      for (int y = 0; y < h; y++) {
        assertThat(img.getRGB(0, y) & 0xFFFFFF).isEqualTo(0x000000);
        assertThat(img.getRGB(1, y) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        // (503 - 64) / 876 * 255 = 127.8: 128
        assertThat(img.getRGB(2, y) & 0xFFFFFF).isEqualTo(0x808080);
      }
    }
  }

  private static void sample16(ByteArrayOutputStream b, int v) {
    b.write(v & 255);
    b.write(v >> 8);
  }

  /** C420mpeg2, mono and a missing C tag (4:2:0) parse, and their frame sizes are right. */
  @Test
  void colourSpacesParse() throws IOException {
    assertThat(Y4mHeader.parse("YUV4MPEG2 W33 H17 F30:1").frameBytes())
        .isEqualTo(33 * 17 + 2 * 17 * 9);
    assertThat(Y4mHeader.parse("YUV4MPEG2 W33 H17 F30:1 C420mpeg2").sitingX()).isZero();
    assertThat(Y4mHeader.parse("YUV4MPEG2 W33 H17 F30:1 Cmono").frameBytes()).isEqualTo(33 * 17);
    assertThat(Y4mHeader.parse("YUV4MPEG2 W33 H17 F30:1 Cmono16").frameBytes())
        .isEqualTo(2 * 33 * 17);
    assertThat(Y4mHeader.parse("YUV4MPEG2 W33 H17 F30:1 C422p12").frameBytes())
        .isEqualTo(2 * (33 * 17 + 2 * 17 * 17));
    assertThat(Y4mHeader.parse("YUV4MPEG2 W33 H17 F0:0 C444").rateNum()).isEqualTo(25);
    assertThatThrownBy(() -> Y4mHeader.parse("YUV4MPEG2 W33 H17 C420p3"))
        .hasMessageContaining("C420p3");
    assertThatThrownBy(() -> Y4mHeader.parse("YUV4MPEG2 H17")).hasMessageContaining("width");
  }

  @Test
  void truncatedFrameIsAnError() throws IOException {
    Path out = dir.resolve("t.y4m");
    try (FrameSink sink = FrameSink.create(out, 16, 8, 25, 1)) {
      for (BufferedImage f : Frames.clip(16, 8, 2, 1)) sink.write(f);
    }
    byte[] all = Files.readAllBytes(out);
    Files.write(out, Arrays.copyOf(all, all.length - 10));
    try (FrameSource in = FrameSource.open(out)) {
      assertThat(in.frameCount()).isEqualTo(-1);
      assertThat(in.next()).isNotNull();
      assertThatThrownBy(in::next)
          .isInstanceOf(IOException.class)
          .hasMessage(out + ": frame 1 is truncated");
    }
  }

  @Test
  void hugeHeaderIsRefusedBeforeAllocating() throws IOException {
    Path f = dir.resolve("huge.y4m");
    Files.writeString(f, "YUV4MPEG2 W100000 H100000 F25:1 C444\nFRAME\n");
    assertThatThrownBy(() -> FrameSource.open(f))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("100000x100000, over the limit of 67108864 pixels");
    assertThatThrownBy(() -> FrameSource.open(f, 100))
        .hasMessageContaining("over the limit of 100 pixels");
  }
}
