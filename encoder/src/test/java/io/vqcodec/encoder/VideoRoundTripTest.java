package io.vqcodec.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.container.FrameType;
import io.vqcodec.decoder.VideoDecoder;
import io.vqcodec.neural.Pixels;
import io.vqcodec.neural.Tokenizer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spec §10: frames through VideoEncoder and VideoDecoder. */
class VideoRoundTripTest {
  static Tokenizer tokenizer;
  static List<BufferedImage> frames = new ArrayList<>();

  /**
   * Six 128x96 frames of a real photo: three identical, then a 32x32 patch of another part of the
   * photo moves across it by 8 pixels per frame (the rest of the picture stays still).
   */
  @BeforeAll
  static void setUp() throws IOException {
    tokenizer = Tokenizer.loadDefault();
    BufferedImage photo =
        ImageIO.read(
            Paths.get(System.getProperty("vqcodec.root", "."), "..", "shared", "data", "val")
                .resolve("skimage/chelsea.png")
                .toFile());
    for (int i = 0; i < 6; i++) {
      BufferedImage f = new BufferedImage(128, 96, BufferedImage.TYPE_INT_RGB);
      f.getGraphics().drawImage(photo.getSubimage(100, 60, 128, 96), 0, 0, null);
      if (i >= 3) {
        f.getGraphics().drawImage(photo.getSubimage(300, 200, 32, 32), 16 + 8 * i, 32, null);
      }
      frames.add(f);
    }
  }

  @AfterAll
  static void tearDown() {
    tokenizer.close();
  }

  static byte[] encode(int keyint, List<VideoEncoder.FrameReport> reports) throws IOException {
    return encode(keyint, VideoEncoder.DEFAULT_SKIP_TOLERANCE, reports);
  }

  static byte[] encode(int keyint, double skipTolerance, List<VideoEncoder.FrameReport> reports)
      throws IOException {
    return encode(keyint, skipTolerance, VideoEncoder.DEFAULT_COPY_TOLERANCE, reports);
  }

  static byte[] encode(
      int keyint,
      double skipTolerance,
      double copyTolerance,
      List<VideoEncoder.FrameReport> reports)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (VideoEncoder enc =
            VideoEncoder.using(tokenizer)
                .skipTolerance(skipTolerance)
                .copyTolerance(copyTolerance);
        VideoEncoder.Session s =
            enc.start(
                out,
                128,
                96,
                25,
                1,
                frames.size(),
                EncoderOptions.defaults().withStrategy(GranularityStrategy.ENTROPY),
                keyint,
                0)) {
      for (BufferedImage f : frames) reports.add(s.add(f));
    }
    return out.toByteArray();
  }

  @Test
  void framesRoundTripAndStillFramesCostAlmostNothing() throws IOException {
    List<VideoEncoder.FrameReport> r = new ArrayList<>();
    byte[] v = encode(4, r);
    assertThat(r)
        .extracting(VideoEncoder.FrameReport::number)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(r.get(0).type()).isEqualTo(FrameType.KEY);
    assertThat(r.get(4).type()).isEqualTo(FrameType.KEY); // keyint 4
    // The repeated frames: every cell skipped, a few bytes beyond the 22 of the frame header (one
    // slice, Spec §10.3).
    assertThat(r.get(1).type()).isEqualTo(FrameType.PREDICTED);
    assertThat(r.get(1).skippedCells()).isEqualTo(r.get(1).cells());
    assertThat(r.get(1).bytes()).isBetween(23, 22 + 8);
    // The moving patch: most cells still skipped, far cheaper than a key frame.
    assertThat(r.get(5).type()).isIn(FrameType.PREDICTED, FrameType.MOTION);
    assertThat(r.get(5).skippedCells()).isGreaterThan(r.get(5).cells() / 2);
    assertThat(r.get(5).bytes()).isLessThan(r.get(4).bytes() / 2);
    List<VideoDecoder.Frame> out = new ArrayList<>();
    try (VideoDecoder d = VideoDecoder.open(new ByteArrayInputStream(v))) {
      for (VideoDecoder.Frame f; (f = d.next()) != null; ) out.add(f);
      assertThat(d.index().frameNumbers()).containsExactly(0, 4);
    }
    assertThat(out).hasSize(6);
    for (int i = 0; i < 6; i++) {
      VideoDecoder.Frame f = out.get(i);
      assertThat(f.number()).isEqualTo(i);
      assertThat(f.timestampMicros()).isEqualTo(i * 40_000L);
      assertThat(f.type()).isEqualTo(r.get(i).type());
      assertThat(f.skippedCells()).isEqualTo(r.get(i).skippedCells());
      assertThat(f.motionCells()).isEqualTo(r.get(i).motionCells());
      assertThat(f.image().getWidth()).isEqualTo(128);
      assertThat(Pixels.psnr(frames.get(i), f.image())).isGreaterThan(20.0);
    }
    assertThat(Pixels.psnr(out.get(0).image(), out.get(2).image())).isInfinite();
  }

  /**
   * The still part of the picture keeps its pixels while the patch moves: the decoder
   * re-synthesises only the cells within VideoDecoder.HOLD_RADIUS of a changed cell, so the
   * top-left corner (cells 0..2 across, three or more cells from the patch's columns 3..5) does not
   * flicker.
   */
  @Test
  void stillCellsKeepTheirPixelsBesideMotion() throws IOException {
    List<VideoEncoder.FrameReport> r = new ArrayList<>();
    byte[] v = encode(60, r);
    List<BufferedImage> out = new ArrayList<>();
    try (VideoDecoder d = VideoDecoder.open(new ByteArrayInputStream(v))) {
      for (VideoDecoder.Frame f; (f = d.next()) != null; ) out.add(f.image());
    }
    assertThat(r.get(5).type()).isNotEqualTo(FrameType.KEY);
    assertThat(out.get(5).getRGB(0, 0, 16, 16, null, 0, 16))
        .isEqualTo(out.get(4).getRGB(0, 0, 16, 16, null, 0, 16));
  }

  /** Spec §10.6: a file decoder starts at the key frame at or before the time asked for. */
  @Test
  void seekingStartsAtTheKeyFrameAtOrBefore(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("v.vqc");
    Files.write(file, encode(4, new ArrayList<>())); // key frames 0 and 4, 25 fps
    try (VideoDecoder d = VideoDecoder.open(file, 1 << 20, 200_000)) { // frame 5
      VideoDecoder.Frame f = d.next();
      assertThat(f.number()).isEqualTo(4);
      assertThat(f.type()).isEqualTo(FrameType.KEY);
      assertThat(f.timestampMicros()).isEqualTo(160_000);
      assertThat(d.next().number()).isEqualTo(5);
      assertThat(d.next()).isNull();
    }
    try (VideoDecoder d = VideoDecoder.open(file, 1 << 20, 119_999)) { // frame 2
      assertThat(d.next().number()).isZero();
    }
    // A damaged index is ignored: decoding starts at frame 0.
    byte[] v = Files.readAllBytes(file);
    v[v.length - 12] ^= 1; // inside index_crc
    Files.write(file, v);
    try (VideoDecoder d = VideoDecoder.open(file, 1 << 20, 200_000)) {
      assertThat(d.next().number()).isZero();
    }
  }

  @Test
  void everyFrameAKeyFrameWithKeyint1() throws IOException {
    List<VideoEncoder.FrameReport> r = new ArrayList<>();
    encode(1, r);
    assertThat(r).allMatch(f -> f.type() == FrameType.KEY);
  }

  @Test
  void aLostFrameIsConcealedAndDecodingGoesOn() throws IOException {
    List<VideoEncoder.FrameReport> r = new ArrayList<>();
    byte[] v = encode(60, r);
    // Damage frame 3's header: find its sync ("VQCF" number 3).
    int at = -1, seen = 0;
    for (int i = 0; i + 4 <= v.length; i++) {
      if (v[i] == 'V' && v[i + 1] == 'Q' && v[i + 2] == 'C' && v[i + 3] == 'F' && seen++ == 3) {
        at = i;
        break;
      }
    }
    assertThat(at).isPositive();
    byte[] d = v.clone();
    d[at + 9] ^= 0x40;
    List<VideoDecoder.Frame> out = new ArrayList<>();
    try (VideoDecoder dec = VideoDecoder.open(new ByteArrayInputStream(d))) {
      for (VideoDecoder.Frame f; (f = dec.next()) != null; ) out.add(f);
    }
    assertThat(out).hasSize(6);
    assertThat(out.get(3).type()).isNull(); // concealed: the previous picture again
    assertThat(out.get(3).image()).isSameAs(out.get(2).image());
    assertThat(out.get(5).type().predicted()).isTrue();
    assertThat(Pixels.psnr(frames.get(5), out.get(5).image())).isGreaterThan(15.0);
  }

  /**
   * The skip tolerance trades copies for fidelity: a tighter one copies fewer cells, spends more
   * bytes, and its decoded frames of the moving patch are closer to the source.
   */
  @Test
  void aTighterSkipToleranceCopiesLessAndStaysCloser() throws IOException {
    long[] copied = new long[2], bytes = new long[2];
    double[] psnr = new double[2];
    double[] tolerances = {0.25, 64};
    for (int t = 0; t < 2; t++) {
      List<VideoEncoder.FrameReport> reports = new ArrayList<>();
      byte[] v = encode(60, tolerances[t], reports);
      for (VideoEncoder.FrameReport r : reports) {
        copied[t] += r.skippedCells() + r.motionCells();
        bytes[t] += r.bytes();
      }
      try (VideoDecoder d = VideoDecoder.open(new ByteArrayInputStream(v))) {
        for (int i = 0; i < frames.size(); i++) {
          VideoDecoder.Frame f = d.next();
          if (i >= 3) psnr[t] += Pixels.psnr(frames.get(i), f.image());
        }
      }
    }
    assertThat(copied[0]).isLessThan(copied[1]);
    assertThat(bytes[0]).isGreaterThan(bytes[1]);
    assertThat(psnr[0]).isGreaterThan(psnr[1]);
    try (VideoEncoder enc = VideoEncoder.using(tokenizer)) {
      for (double bad : new double[] {0, -1, Double.NaN, 2000}) {
        assertThatThrownBy(() -> enc.skipTolerance(bad))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("skip tolerance");
      }
    }
  }

  /**
   * The pixel check of copies: under a skip tolerance so loose that the token domain copies the
   * moving patch, the check finds the copies that decode far from the source and codes them, so
   * fewer cells are copied and the patch's frames are closer to the source than without it.
   */
  @Test
  void theCopyCheckCodesCopiesThatDecodeFarFromTheSource() throws IOException {
    long[] copied = new long[2];
    double[] psnr = new double[2];
    double[] copyTolerances = {VideoEncoder.DEFAULT_COPY_TOLERANCE, Double.POSITIVE_INFINITY};
    for (int t = 0; t < 2; t++) {
      List<VideoEncoder.FrameReport> reports = new ArrayList<>();
      byte[] v = encode(60, 64, copyTolerances[t], reports);
      for (VideoEncoder.FrameReport r : reports) copied[t] += r.skippedCells() + r.motionCells();
      try (VideoDecoder d = VideoDecoder.open(new ByteArrayInputStream(v))) {
        for (int i = 0; i < frames.size(); i++) {
          VideoDecoder.Frame f = d.next();
          if (i >= 3) psnr[t] += Pixels.psnr(frames.get(i), f.image()) / 3;
        }
      }
    }
    assertThat(copied[0]).isLessThan(copied[1]);
    assertThat(psnr[0]).isGreaterThan(psnr[1] + 0.5);
    try (VideoEncoder enc = VideoEncoder.using(tokenizer)) {
      for (double bad : new double[] {-1, Double.NaN}) {
        assertThatThrownBy(() -> enc.copyTolerance(bad))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("copy tolerance");
      }
    }
  }

  @Test
  void framesOfAnotherSizeAndRateTargetsAreRefused() throws IOException {
    try (VideoEncoder enc = VideoEncoder.using(tokenizer)) {
      assertThatThrownBy(
              () ->
                  enc.start(
                      new ByteArrayOutputStream(),
                      128,
                      96,
                      25,
                      1,
                      0,
                      EncoderOptions.defaults().withTargetBpp(0.1),
                      10,
                      0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("quality step");
      VideoEncoder.Session s =
          enc.start(
              new ByteArrayOutputStream(), 128, 96, 25, 1, 0, EncoderOptions.defaults(), 10, 0);
      assertThatThrownBy(() -> s.add(new BufferedImage(64, 96, BufferedImage.TYPE_INT_RGB)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("64x96");
    }
  }
}
