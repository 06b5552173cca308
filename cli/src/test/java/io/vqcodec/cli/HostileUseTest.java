package io.vqcodec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The defects a hostile user found (issue 19), each as the CLI run that showed it. */
class HostileUseTest {
  @TempDir Path dir;
  static final Path SAMPLE =
      Paths.get(System.getProperty("vqcodec.root", ".."), "samples/chelsea.png");

  static VqcodecCliTest.Result run(String... args) {
    return VqcodecCliTest.run(args);
  }

  static BufferedImage small() throws IOException {
    return ImageIO.read(SAMPLE.toFile()).getSubimage(100, 100, 48, 32);
  }

  /**
   * Defect 1: a palette PNG with transparent entries (tRNS) is refused like any transparent image.
   */
  @Test
  void transparentPalettePngIsRefused() throws IOException {
    byte[] r = new byte[4],
        g = new byte[4],
        b = new byte[4],
        a = {(byte) 255, 0, (byte) 255, (byte) 255};
    r[1] = (byte) 200;
    BufferedImage img =
        new BufferedImage(
            32, 32, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(2, 4, r, g, b, a));
    img.getRaster().setSample(5, 5, 0, 1); // one transparent pixel
    Path png = dir.resolve("palette.png");
    ImageIO.write(img, "png", png.toFile());
    VqcodecCliTest.Result res = run("encode", png.toString(), dir.resolve("p.vqc").toString());
    assertThat(res.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(res.err()).contains("transparent");
    assertThat(dir.resolve("p.vqc")).doesNotExist();
  }

  /** Defect 2: two inputs that would give the same output name are refused before any work. */
  /**
   * A BMP of 12x1 pixels whose pixels are an embedded JPEG (compression 4) claiming a much larger
   * picture: refused before the embedded picture is decoded (it exhausted a 5 GB heap;
   * ImageInputFuzzTest's finding, kept in its inputs as bmp-embedded-jpeg-oom).
   */
  @Test
  void bmpWithAnEmbeddedJpegIsRefused() throws IOException {
    Path bmp = dir.resolve("embedded.bmp");
    try (var in =
        HostileUseTest.class.getResourceAsStream(
            "ImageInputFuzzTestInputs/anyFileIsReadOrRefusedCleanly/bmp-embedded-jpeg-oom")) {
      Files.copy(in, bmp);
    }
    VqcodecCliTest.Result res = run("encode", bmp.toString(), dir.resolve("e.vqc").toString());
    assertThat(res.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(res.err()).contains("embedded JPEG picture is not supported");
    assertThat(dir.resolve("e.vqc")).doesNotExist();
  }

  @Test
  void collidingBatchNamesAreRefusedUpFront() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    ImageIO.write(small(), "png", in.resolve("g.png").toFile());
    ImageIO.write(small(), "jpg", in.resolve("g.jpg").toFile());
    ImageIO.write(small(), "png", in.resolve("h.png").toFile());
    Path out = dir.resolve("out");
    VqcodecCliTest.Result res = run("encode", "--force", in.toString(), out.toString());
    assertThat(res.code()).isEqualTo(ExitCode.OUTPUT);
    assertThat(res.err()).contains("g.jpg").contains("g.png").contains("g.vqc");
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s.toList()).isEmpty();
    }
  }

  /** Defect 3: an output that is an input is refused, and the input is kept. */
  @Test
  void outputEqualToInputIsRefused() throws IOException {
    Path self = dir.resolve("self.png");
    Files.copy(SAMPLE, self);
    byte[] before = Files.readAllBytes(self);
    VqcodecCliTest.Result res = run("encode", "--force", self.toString(), self.toString());
    assertThat(res.code()).isEqualTo(ExitCode.OUTPUT);
    assertThat(res.err()).contains("is the input");
    assertThat(Files.readAllBytes(self)).isEqualTo(before);
    // the same through another name of the file
    Path link = dir.resolve("link.png");
    Files.createSymbolicLink(link, self);
    assertThat(run("encode", "--force", self.toString(), link.toString()).code())
        .isEqualTo(ExitCode.OUTPUT);
    assertThat(Files.readAllBytes(self)).isEqualTo(before);
  }

  /**
   * The two commands mixed up: an output named like what the command reads is refused before any
   * work, and nothing is written.
   */
  @Test
  void outputNamedLikeAnInputIsRefused() throws IOException {
    Path png = dir.resolve("in.png");
    ImageIO.write(small(), "png", png.toFile());
    Path stream = dir.resolve("in.vqc");
    assertThat(run("encode", png.toString(), stream.toString()).code()).isEqualTo(ExitCode.OK);
    VqcodecCliTest.Result enc = run("encode", stream.toString(), dir.resolve("out.png").toString());
    assertThat(enc.code()).isEqualTo(ExitCode.USAGE);
    assertThat(enc.err()).contains("encode writes .vqc streams");
    VqcodecCliTest.Result dec = run("decode", stream.toString(), dir.resolve("out.vqc").toString());
    assertThat(dec.code()).isEqualTo(ExitCode.USAGE);
    assertThat(dir.resolve("out.png")).doesNotExist();
    assertThat(dir.resolve("out.vqc")).doesNotExist();
  }

  /** Defect 4: a picture is sized from its header before it is decoded. */
  @Test
  void decompressionBombIsRefusedFromItsHeader() throws IOException {
    Path bomb = dir.resolve("bomb.png");
    Files.write(bomb, pngHeaderOnly(26000, 26000));
    VqcodecCliTest.Result res = run("encode", bomb.toString(), dir.resolve("b.vqc").toString());
    assertThat(res.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(res.err()).contains("26000x26000");
    assertThat(dir.resolve("b.vqc")).doesNotExist();
    // and a limit the caller sets
    VqcodecCliTest.Result lim =
        run("encode", "--max-pixels", "10000", SAMPLE.toString(), dir.resolve("c.vqc").toString());
    assertThat(lim.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(lim.err()).contains("451x300").contains("--max-pixels");
  }

  /**
   * Defect 7: decode cost amplification. The suite's valid 122-byte stream of a 16384x4096 picture
   * is refused from its header under a pixel limit, at once.
   */
  @Test
  void pixelLimitRefusesAHugePictureFromItsHeader() throws IOException {
    Path vqc =
        Paths.get(
            System.getProperty("vqcodec.root", ".."),
            "conformance/vectors/size-max-cells-16384x4096-pm0.vqc");
    VqcodecCliTest.Result res =
        run(
            "decode",
            "--max-pixels",
            "16777216",
            vqc.toString(),
            dir.resolve("huge.png").toString());
    assertThat(res.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(res.err().strip())
        .isEqualTo(
            "vqcodec: "
                + vqc
                + ": picture 16384x4096 has 67108864 "
                + "pixels, more than the limit of 16777216 (--max-pixels)");
    assertThat(dir.resolve("huge.png")).doesNotExist();
  }

  /** Defect 5: a truncated JPEG is refused, not encoded from a half-decoded picture. */
  @Test
  void truncatedJpegIsRefused() throws IOException {
    ByteArrayOutputStream jpg = new ByteArrayOutputStream();
    ImageIO.write(ImageIO.read(SAMPLE.toFile()), "jpg", jpg);
    Path cut = dir.resolve("cut.jpg");
    Files.write(cut, Arrays.copyOf(jpg.toByteArray(), jpg.size() / 2));
    VqcodecCliTest.Result res = run("encode", cut.toString(), dir.resolve("cut.vqc").toString());
    assertThat(res.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(res.err()).contains("cut.jpg").containsIgnoringCase("truncated");
    assertThat(dir.resolve("cut.vqc")).doesNotExist();
  }

  /** Defect 8: temporary files of killed runs are removed by the next run on the folder. */
  @Test
  void staleTemporaryFilesOfDeadRunsAreRemoved() throws IOException {
    long self = ProcessHandle.current().pid();
    Path dead = Files.writeString(dir.resolve(".x.vqc.999999999.123.tmp"), "half");
    Path alive = Files.writeString(dir.resolve(".y.vqc." + self + ".456.tmp"), "in progress");
    Path other = Files.writeString(dir.resolve(".notes.tmp"), "not ours");
    Path png = dir.resolve("s.png");
    ImageIO.write(small(), "png", png.toFile());
    assertThat(run("encode", png.toString(), dir.resolve("s.vqc").toString()).code()).isZero();
    assertThat(dead).doesNotExist();
    assertThat(alive).exists();
    assertThat(other).exists();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .doesNotContain(".s.vqc.tmp")
          .noneMatch(n -> n.startsWith(".s.vqc."));
    }
  }

  /** Also found: a dangling output link is refused before the encode runs. */
  @Test
  void danglingOutputLinkIsRefused() throws IOException {
    Path link = dir.resolve("out.vqc");
    Files.createSymbolicLink(link, dir.resolve("missing/target.vqc"));
    VqcodecCliTest.Result res = run("encode", SAMPLE.toString(), link.toString());
    assertThat(res.code()).isEqualTo(ExitCode.OUTPUT);
    assertThat(res.err()).contains("out.vqc");
  }

  /** Also found: an animated GIF is coded from its first frame, and the user is told. */
  @Test
  void animatedGifSaysOnlyTheFirstFrameIsCoded() throws IOException {
    Path gif = dir.resolve("anim.gif");
    ImageWriter w = ImageIO.getImageWritersByFormatName("gif").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(gif.toFile())) {
      w.setOutput(out);
      w.prepareWriteSequence(null);
      for (int i = 0; i < 3; i++) {
        BufferedImage f = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_INDEXED);
        f.getRaster().setSample(i, i, 0, 5);
        IIOMetadata md =
            w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(f), null);
        w.writeToSequence(new IIOImage(f, null, md), null);
      }
      w.endWriteSequence();
    } finally {
      w.dispose();
    }
    VqcodecCliTest.Result res = run("encode", gif.toString(), dir.resolve("anim.vqc").toString());
    assertThat(res.code()).as(res.err()).isZero();
    assertThat(res.err()).contains("first of 3 frames");
  }

  /** A PNG signature and IHDR chunk claiming {@code w x h} RGB, then IEND: no pixel data. */
  static byte[] pngHeaderOnly(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(
        b,
        "IHDR",
        ByteBuffer.allocate(13)
            .putInt(w)
            .putInt(h)
            .put((byte) 8)
            .put((byte) 2)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0)
            .array());
    chunk(b, "IEND", new byte[0]);
    return b.array();
  }

  private static void chunk(ByteBuffer b, String type, byte[] data) {
    b.putInt(data.length);
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    b.put(t).put(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    b.putInt((int) crc.getValue());
  }
}
