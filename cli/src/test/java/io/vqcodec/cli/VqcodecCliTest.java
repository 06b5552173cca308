package io.vqcodec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vqcodec.container.ContainerReader;
import io.vqcodec.container.ContainerWriter;
import io.vqcodec.container.ModelId;
import io.vqcodec.container.Slice;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as users see it: exit codes and the one line each failure prints. */
class VqcodecCliTest {
  @TempDir static Path shared;
  @TempDir Path dir;
  static Path sample;
  static Path sampleVqc;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int code = Vqcodec.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    Result r = new Result(code, out.toString(), err.toString());
    assertThat(r.err).as("no stack trace without --verbose").doesNotContain("\tat ");
    return r;
  }

  @BeforeAll
  static void encodeSample() {
    sample = Paths.get(System.getProperty("vqcodec.root", ".."), "samples/chelsea.png");
    sampleVqc = shared.resolve("chelsea.vqc");
    Result r = run("encode", "--slice-rows", "4", sample.toString(), sampleVqc.toString());
    assertThat(r.code).as(r.err).isZero();
  }

  @Test
  void theNetworkIsOpenedAheadOnlyForAnEncodeOrDecodeOfExistingInputs() {
    String in = sample.toString(), vqc = sampleVqc.toString();
    String missing = dir.resolve("missing.png").toString();
    assertThat(Vqcodec.runsANetwork(new String[] {"encode", in, "out.vqc"})).isTrue();
    assertThat(Vqcodec.runsANetwork(new String[] {"decode", "--force", vqc, vqc, "out"})).isTrue();
    assertThat(Vqcodec.runsANetwork(new String[] {"encode", "--bpp=0.1", in, "o.vqc"})).isTrue();
    // A mistyped input fails as fast as without the head start; so does a separate option value.
    assertThat(Vqcodec.runsANetwork(new String[] {"encode", missing, "out.vqc"})).isFalse();
    assertThat(Vqcodec.runsANetwork(new String[] {"encode", "--bpp", "0.1", in, "o"})).isFalse();
    assertThat(Vqcodec.runsANetwork(new String[] {"info", vqc, "x"})).isFalse();
    assertThat(Vqcodec.runsANetwork(new String[] {"decode", vqc})).isFalse();
    assertThat(Vqcodec.runsANetwork(new String[] {"decode", "--help"})).isFalse();
    assertThat(Vqcodec.runsANetwork(new String[] {"decode", "a\0b", "out"})).isFalse();
  }

  /** The tokenizer opened ahead is the one the command uses (videos: VideoCliTest). */
  @Test
  void theTokenizerOpenedAheadIsTheOneTheCommandUses() throws IOException {
    String in = sample.toString(), vqc = sampleVqc.toString();
    ModelPackage picture = ModelRegistry.builtIn().defaultTokenizer();
    assertThat(Vqcodec.networkToOpen(new String[] {"encode", in, "out.vqc"})).contains(picture);
    assertThat(Vqcodec.networkToOpen(new String[] {"decode", "--force", vqc, vqc, "out"}))
        .contains(picture); // the model the stream names
    assertThat(Vqcodec.networkToOpen(new String[] {"info", vqc, "x"})).isEmpty();
    assertThat(Vqcodec.networkToOpen(new String[] {"decode", in, "out.png"})).isEmpty(); // no .vqc
  }

  /**
   * decode --fast: tok-v2's tokens through tok-v2f's network (Spec §4.4, informative): a picture of
   * the same size and about the same fidelity, not the same pixels; the tokenizer opened ahead is
   * the fast one.
   */
  @Test
  void fastDecodeRendersTheSameTokensWithTheFasterNetwork() throws IOException {
    Path exact = dir.resolve("exact.png"), fast = dir.resolve("fast.png");
    assertThat(run("decode", sampleVqc.toString(), exact.toString()).code()).isZero();
    Result f = run("decode", "--fast", sampleVqc.toString(), fast.toString());
    assertThat(f.code()).as(f.err()).isZero();
    BufferedImage a = ImageIO.read(exact.toFile()), b = ImageIO.read(fast.toFile());
    BufferedImage source = ImageIO.read(sample.toFile());
    assertThat(b.getWidth()).isEqualTo(451);
    assertThat(b.getHeight()).isEqualTo(300);
    double between = io.vqcodec.neural.Pixels.psnr(a, b);
    assertThat(between).isGreaterThan(30).isLessThan(99); // close, but another network's pixels
    assertThat(io.vqcodec.neural.Pixels.psnr(source, b))
        .isCloseTo(io.vqcodec.neural.Pixels.psnr(source, a), within(0.5));
    ModelRegistry registry = ModelRegistry.builtIn();
    assertThat(Vqcodec.networkToOpen(new String[] {"decode", "--fast", sampleVqc.toString(), "o"}))
        .contains(registry.byName("tok-v2f").orElseThrow());
  }

  /**
   * encode --fast: the picture coded with tok-v2f (model 9 with the two-stage model, Spec §4.4),
   * whose own network then decodes it; about the fidelity of the default encode.
   */
  @Test
  void fastEncodeNamesTheFasterModel() throws IOException {
    Path vqc = dir.resolve("fast.vqc"), png = dir.resolve("fast-encoded.png");
    Path exactPng = dir.resolve("default-encoded.png");
    Result e = run("encode", "--fast", "--slice-rows", "4", sample.toString(), vqc.toString());
    assertThat(e.code()).as(e.err()).isZero();
    Map<String, Object> json = flatJson(run("info", "--json", vqc.toString()).out);
    assertThat(json).containsEntry("model.id", 9L);
    assertThat(run("decode", vqc.toString(), png.toString()).code()).isZero();
    assertThat(run("decode", sampleVqc.toString(), exactPng.toString()).code()).isZero();
    BufferedImage source = ImageIO.read(sample.toFile());
    assertThat(io.vqcodec.neural.Pixels.psnr(source, ImageIO.read(png.toFile())))
        .isCloseTo(
            io.vqcodec.neural.Pixels.psnr(source, ImageIO.read(exactPng.toFile())), within(0.5));
    ModelRegistry registry = ModelRegistry.builtIn();
    assertThat(Vqcodec.networkToOpen(new String[] {"encode", "--fast", sample.toString(), "o"}))
        .contains(registry.byName("tok-v2f").orElseThrow());
  }

  @Test
  void encodeDecodeInfo() throws IOException {
    Path png = dir.resolve("back.png");
    Result d = run("decode", sampleVqc.toString(), png.toString());
    assertThat(d.code).as(d.err).isZero();
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(451);
    assertThat(img.getHeight()).isEqualTo(300);

    Result info = run("info", "--json", sampleVqc.toString());
    assertThat(info.code).isZero();
    Map<String, Object> json = flatJson(info.out);
    assertThat(json)
        .containsEntry("width", 451L)
        .containsEntry("height", 300L)
        .containsEntry("frames", 1L)
        .containsEntry("codebook_size", 4096L)
        .containsEntry(
            "model.id", 6L) // tok-v2 with the two-stage model (Spec §4.4, §8.3.3), the default
        .containsEntry("probability_model", "two_stage")
        .containsEntry("bytes.total", Files.size(sampleVqc))
        .containsKeys("tokens.coarse", "tokens.fine", "bytes.header", "bytes.slices");
  }

  @Test
  void missingInput() {
    Result r = run("encode", dir.resolve("nope.png").toString(), dir.resolve("x.vqc").toString());
    assertThat(r.code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err.strip())
        .isEqualTo("vqcodec: " + dir.resolve("nope.png") + ": no such file or folder");
  }

  @Test
  void unsupportedFormat() throws IOException {
    Path txt = Files.writeString(dir.resolve("notes.txt"), "not an image\n");
    Result r = run("encode", txt.toString(), dir.resolve("x.vqc").toString());
    assertThat(r.code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err)
        .startsWith("vqcodec: " + txt + ": not an image format this build reads (")
        .contains("png")
        .contains("tiff")
        .contains("webp");
    assertThat(dir.resolve("x.vqc")).doesNotExist();
  }

  @Test
  void transparentImageIsRefusedAndLeavesNoFile() throws IOException {
    BufferedImage argb = new BufferedImage(20, 20, BufferedImage.TYPE_INT_ARGB);
    Path png = dir.resolve("clear.png");
    ImageIO.write(argb, "png", png.toFile());
    Result r = run("encode", png.toString(), dir.resolve("clear.vqc").toString());
    assertThat(r.code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err).contains("clear.png: image has transparent pixels");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("clear.png");
    }
  }

  @Test
  void notAVqcFile() throws IOException {
    Path bogus = dir.resolve("bogus.vqc");
    Files.copy(sample, bogus);
    Result r = run("decode", bogus.toString(), dir.resolve("out.png").toString());
    assertThat(r.code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err.strip())
        .startsWith("vqcodec: " + bogus + ": corrupt or not a .vqc file: magic 89 50 4e 47")
        .endsWith("not a .vqc file (Spec §2.2)");
    assertThat(dir.resolve("out.png")).doesNotExist();
  }

  @Test
  void damagedHeader() throws IOException {
    byte[] b = Files.readAllBytes(sampleVqc);
    b[20] ^= 1;
    Path bad = Files.write(dir.resolve("bad.vqc"), b);
    Result r = run("decode", bad.toString(), dir.resolve("out.png").toString());
    assertThat(r.code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err).contains("corrupt or not a .vqc file").contains("header");
    assertThat(r.err.lines()).hasSize(1);
  }

  @Test
  void truncatedInsideTheHeader() throws IOException {
    Path cut =
        Files.write(dir.resolve("cut.vqc"), Arrays.copyOf(Files.readAllBytes(sampleVqc), 30));
    Result r = run("info", cut.toString());
    assertThat(r.code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err).contains(cut + ": corrupt or not a .vqc file: file ends at byte 30");
  }

  @Test
  void truncatedInsideTheSlicesIsConcealed() throws IOException {
    byte[] b = Files.readAllBytes(sampleVqc);
    Path cut = Files.write(dir.resolve("cut.vqc"), Arrays.copyOf(b, b.length - 200));
    Path png = dir.resolve("cut.png");
    Result r = run("decode", cut.toString(), png.toString());
    assertThat(r.code).isZero();
    assertThat(r.err)
        .contains("warning: " + cut + ": slice 4 (pixel rows 256..303) lost: stream ends")
        .contains("concealed");
    assertThat(png).exists();
  }

  @Test
  void unknownModel() throws IOException {
    ContainerReader reader = ContainerReader.open(Files.readAllBytes(sampleVqc));
    var h = reader.header();
    List<Slice> slices =
        reader.remainingSlices().stream()
            .map(s -> new Slice(s.firstRow(), s.rowCount(), s.payload()))
            .toList();
    byte[] other =
        ContainerWriter.write(
            new io.vqcodec.container.ContainerHeader(
                h.picture(), new ModelId(99, new byte[16]), h.grid()),
            slices);
    Path f = Files.write(dir.resolve("other.vqc"), other);
    Result r = run("decode", f.toString(), dir.resolve("out.png").toString());
    assertThat(r.code).isEqualTo(ExitCode.UNKNOWN_MODEL);
    assertThat(r.err.strip())
        .isEqualTo(
            "vqcodec: "
                + f
                + ": stream needs model 99 (weights sha256 "
                + "00000000000000000000000000000000...); this decoder has only models 2, 3, 4 (tok-v1), 5, 6, 7 (tok-v2), 8, 9, 10 (tok-v2f)");
  }

  @Test
  void existingOutputIsKeptWithoutForce() throws IOException {
    Path out = Files.writeString(dir.resolve("keep.vqc"), "precious");
    Result r = run("encode", sample.toString(), out.toString());
    assertThat(r.code).isEqualTo(ExitCode.OUTPUT);
    assertThat(r.err.strip()).isEqualTo("vqcodec: " + out + ": exists (use --force to overwrite)");
    assertThat(Files.readString(out)).isEqualTo("precious");

    Result forced = run("encode", "--force", sample.toString(), out.toString());
    assertThat(forced.code).isZero();
    assertThat(ContainerReader.hasMagic(Files.readAllBytes(out))).isTrue();
  }

  @Test
  void unknownOutputExtension() {
    Result r = run("decode", sampleVqc.toString(), dir.resolve("out.xyz").toString());
    assertThat(r.code).isEqualTo(ExitCode.USAGE);
    assertThat(r.err).contains("cannot tell the output format from the extension \"xyz\"");
  }

  /**
   * Spec §9.6.1 through the CLI: --downscale, info names the coded size, decode restores the size.
   */
  @Test
  void downscaledEncodeDecodesAtFullSize() throws IOException {
    Path vqc = dir.resolve("half.vqc"), png = dir.resolve("half.png");
    Result e = run("encode", "--downscale", "2", sample.toString(), vqc.toString());
    assertThat(e.code).as(e.err).isZero();
    assertThat(e.out).contains("451x300 coded at 1/2");
    assertThat(run("info", vqc.toString()).out)
        .contains("coded at     226x150 (1/2 resolution, Spec §9.6.1)");
    assertThat(flatJson(run("info", "--json", vqc.toString()).out))
        .containsEntry("coded_width", 226L)
        .containsEntry("width", 451L);
    assertThat(run("decode", vqc.toString(), png.toString()).code).isZero();
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(451);
    assertThat(img.getHeight()).isEqualTo(300);
    assertThat(run("encode", "--downscale", "3", sample.toString(), "x.vqc").err)
        .contains("--downscale 3: must be 1, 2 or 4");
  }

  @Test
  void badOptionValues() {
    assertThat(run("encode", "--quality", "17", sample.toString(), "x.vqc").err)
        .contains("quality 17 must be 1..16");
    Result both = run("encode", "--quality", "3", "--bpp", "0.1", sample.toString(), "x.vqc");
    assertThat(both.code).isEqualTo(ExitCode.USAGE);
    assertThat(both.err).contains("mutually exclusive");
  }

  @Test
  void folderInFolderOut() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.copy(sample, in.resolve("a.png"));
    BufferedImage small = new BufferedImage(40, 24, BufferedImage.TYPE_BYTE_GRAY);
    ImageIO.write(small, "bmp", in.resolve("b.bmp").toFile());
    Files.writeString(in.resolve("readme.txt"), "skipped: not an image extension");
    Result r = run("encode", in.toString(), dir.resolve("out").toString());
    assertThat(r.code).as(r.err).isZero();
    assertThat(dir.resolve("out/a.vqc")).exists();
    assertThat(dir.resolve("out/b.vqc")).exists();
    Result d = run("decode", dir.resolve("out").toString(), dir.resolve("png").toString());
    assertThat(d.code).as(d.err).isZero();
    assertThat(dir.resolve("png/a.png")).exists();
    assertThat(dir.resolve("png/b.png")).exists();
  }

  @Test
  void simulatedLossDecodes() throws IOException {
    Path png = dir.resolve("lossy.png");
    Result r =
        run("decode", "--simulate-loss", "20", "--seed", "3", sampleVqc.toString(), png.toString());
    assertThat(r.code).as(r.err).isZero();
    assertThat(png).exists();
    assertThat(r.err)
        .contains("simulated loss: ")
        .contains("tokens lost (2")
        .contains("concealed by prediction");
  }

  @Test
  void helpListsExamplesAndExitCodes() {
    Result r = run("--help");
    assertThat(r.code).isZero();
    assertThat(r.out)
        .contains("vqcodec encode photo.png photo.vqc")
        .contains("Exit codes:")
        .contains("encode")
        .contains("decode")
        .contains("info")
        .contains("eval");
  }

  /** JSON object flattened to dotted keys (numbers as Long or Double). */
  static Map<String, Object> flatJson(String text) throws IOException {
    Map<String, Object> out = new HashMap<>();
    try (JsonParser p = new JsonFactory().createParser(text)) {
      String prefix = "";
      java.util.ArrayDeque<String> stack = new java.util.ArrayDeque<>();
      String field = null;
      for (JsonToken t; (t = p.nextToken()) != null; ) {
        switch (t) {
          case FIELD_NAME -> field = p.currentName();
          case START_OBJECT -> {
            if (field != null) {
              stack.push(prefix);
              prefix = prefix + field + ".";
            }
            field = null;
          }
          case END_OBJECT -> {
            if (!stack.isEmpty()) prefix = stack.pop();
          }
          case START_ARRAY -> p.skipChildren();
          case VALUE_NUMBER_INT -> out.put(prefix + field, p.getLongValue());
          case VALUE_NUMBER_FLOAT -> out.put(prefix + field, p.getDoubleValue());
          case VALUE_STRING -> out.put(prefix + field, p.getText());
          default -> {}
        }
      }
    }
    return out;
  }
}
