package io.vqcodec.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.vqcodec.container.FrameType;
import io.vqcodec.decoder.VideoDecoder;
import io.vqcodec.neural.Pixels;
import io.vqcodec.neural.Tokenizer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Spec §10.9: motion frames on a synthetic pan, against the same encoder without motion. */
class VideoMotionTest {
  static Tokenizer tokenizer;
  static final List<BufferedImage> pan = new ArrayList<>();

  /** Six 192x128 windows of a real photo, each 16 pixels further right: the picture pans left. */
  @BeforeAll
  static void setUp() throws IOException {
    tokenizer = Tokenizer.loadDefault();
    BufferedImage photo =
        ImageIO.read(
            Paths.get(System.getProperty("vqcodec.root", "."), "..", "shared", "data", "val")
                .resolve("skimage/chelsea.png")
                .toFile());
    for (int i = 0; i < 6; i++) {
      BufferedImage f = new BufferedImage(192, 128, BufferedImage.TYPE_INT_RGB);
      f.getGraphics().drawImage(photo.getSubimage(60 + 16 * i, 80, 192, 128), 0, 0, null);
      pan.add(f);
    }
  }

  @AfterAll
  static void tearDown() {
    tokenizer.close();
  }

  static byte[] encode(int range, List<VideoEncoder.FrameReport> reports) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (VideoEncoder enc = VideoEncoder.using(tokenizer).motionRange(range);
        VideoEncoder.Session s =
            enc.start(out, 192, 128, 25, 1, pan.size(), EncoderOptions.defaults(), 60, 0)) {
      for (BufferedImage f : pan) reports.add(s.add(f));
    }
    return out.toByteArray();
  }

  static List<VideoDecoder.Frame> decode(byte[] v) throws IOException {
    List<VideoDecoder.Frame> out = new ArrayList<>();
    try (VideoDecoder d = VideoDecoder.open(new ByteArrayInputStream(v))) {
      for (VideoDecoder.Frame f; (f = d.next()) != null; ) out.add(f);
    }
    return out;
  }

  @Test
  void motionIsChosenOnAPanAndSavesBits() throws IOException {
    List<VideoEncoder.FrameReport> with = new ArrayList<>(), without = new ArrayList<>();
    byte[] m = encode(VideoEncoder.DEFAULT_MOTION_RANGE, with);
    byte[] n = encode(0, without);
    // Kept as a build artifact: the seed of the video token decoder's fuzz target with motion
    // frames (tokens/src/test/resources/.../VideoTokenDecoderFuzzTestInputs/).
    java.nio.file.Files.write(java.nio.file.Path.of("target", "pan-motion.vqc"), m);
    // version_minor 5, compact frame headers (Spec §9.6.3), in both: it includes motion frames'
    // version 3 (Spec §10.9), and a stream without motion frames uses the compact headers too.
    assertThat(m[9]).isEqualTo((byte) 5);
    assertThat(n[9]).isEqualTo((byte) 5);
    int bytesWith = 0, bytesWithout = 0;
    for (int i = 1; i < pan.size(); i++) {
      VideoEncoder.FrameReport r = with.get(i);
      assertThat(r.type()).isEqualTo(FrameType.MOTION);
      // The content moved by one cell: most cells are copied from one cell to the right.
      assertThat(r.motionCells()).isGreaterThan(r.cells() / 2);
      assertThat(without.get(i).type()).isNotEqualTo(FrameType.MOTION);
      bytesWith += r.bytes();
      bytesWithout += without.get(i).bytes();
    }
    System.out.printf(
        "pan: predicted frames %d bytes with motion, %d without%n", bytesWith, bytesWithout);
    assertThat(bytesWith).isLessThan(bytesWithout * 3 / 4);
    List<VideoDecoder.Frame> dm = decode(m), dn = decode(n);
    assertThat(dm).hasSize(pan.size());
    double psnrWith = 0, psnrWithout = 0;
    for (int i = 0; i < pan.size(); i++) {
      assertThat(dm.get(i).type()).isEqualTo(with.get(i).type());
      assertThat(dm.get(i).motionCells()).isEqualTo(with.get(i).motionCells());
      assertThat(dm.get(i).skippedCells()).isEqualTo(with.get(i).skippedCells());
      psnrWith += Pixels.psnr(pan.get(i), dm.get(i).image()) / pan.size();
      psnrWithout += Pixels.psnr(pan.get(i), dn.get(i).image()) / pan.size();
    }
    System.out.printf("pan: %.2f dB with motion, %.2f without%n", psnrWith, psnrWithout);
    assertThat(psnrWith).isGreaterThan(psnrWithout - 1.0);
  }
}
