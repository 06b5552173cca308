package io.vqcodec.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vqcodec eval --quick} end to end on 3 Kodak images: jpeg-imageio always, the other codecs
 * when installed.
 */
class EvalCommandTest {
  private static Path kodak() {
    return Path.of(System.getProperty("vqcodec.root", ".."), "..", "shared", "data", "kodak")
        .normalize();
  }

  private static String[] run(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int code = EvalCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    assertThat(code).as("exit code; stderr:%n%s", err).isZero();
    return new String[] {out.toString(), err.toString()};
  }

  @Test
  void quickRunWritesPointsSummaryAndPlotsAndThenHitsTheCache(@TempDir Path out) throws Exception {
    Path images = kodak();
    assumeTrue(Files.isDirectory(images), "Kodak images not found at " + images);
    List<String> codecs = new ArrayList<>(List.of("jpeg-imageio"));
    for (EvalCodec c : Codecs.all(1))
      if (!c.name().equals("jpeg-imageio") && c.inDefaultRun() && c.available())
        codecs.add(c.name());

    long t0 = System.nanoTime();
    String[] first =
        run(
            "--quick",
            "--images",
            images.toString(),
            "--out",
            out.toString(),
            "--codecs",
            String.join(",", codecs));
    long firstMs = (System.nanoTime() - t0) / 1_000_000;

    List<Point> points = Point.read(out.resolve("points.csv"));
    assertThat(points).hasSize(3 * 2 * codecs.size());
    for (Point p : points) {
      // vqcodec runs in process on PyTorch's intra-op pool (every core); the others honour
      // --threads.
      assertThat(p.threads())
          .isEqualTo(
              p.codec().startsWith("vqcodec") ? Runtime.getRuntime().availableProcessors() : 1);
      assertThat(p.bytes()).isPositive();
      assertThat(p.bpp())
          .isCloseTo(p.bytes() * 8.0 / (768 * 512), org.assertj.core.data.Offset.offset(1e-5));
      assertThat(p.psnr()).isBetween(15.0, 50.0);
      assertThat(p.msssim()).isBetween(0.3, 1.0);
      if (PerceptualMetrics.onPath().missing().isEmpty()) {
        assertThat(p.butteraugli()).as("%s", p).isGreaterThan(0.0);
        assertThat(p.butteraugli3()).as("%s", p).isGreaterThan(0.0);
        assertThat(p.ssimulacra()).as("%s", p).isGreaterThan(0.0);
      } else {
        assertThat(first[1]).contains("not on PATH:");
      }
      assertThat(p.encMs()).isNotNegative();
      assertThat(p.decMs()).isNotNegative();
      if (p.codec().startsWith("vqcodec")) {
        // Its own rate control lands at or under the target; it tops out near 0.17 bpp.
        assertThat(p.bpp()).as("%s", p).isLessThanOrEqualTo(p.target());
      } else if (p.reached()) {
        assertThat(Math.abs(p.bpp() - p.target()) / p.target()).as("%s", p).isLessThan(0.25);
      } else {
        assertThat(p.bpp()).isGreaterThan(p.target() * (1 + RateSearch.SLACK));
      }
    }
    assertThat(points)
        .filteredOn(p -> p.codec().equals("jpeg-imageio") && p.target() == 0.25)
        .allMatch(Point::reached);

    String summary = Files.readString(out.resolve("summary.md"), StandardCharsets.UTF_8);
    assertThat(summary)
        .contains(
            "| codec | target bpp | reached | bpp | PSNR dB | MS-SSIM |",
            "## Perceptual metrics (lower is better)",
            "| jpeg-imageio | 0.250 | ",
            "| jpeg-imageio | 0.250 | 3/3 |",
            "cpu: ",
            "threads: 1");
    for (String f :
        List.of(
            "rd-psnr.png",
            "rd-psnr.svg",
            "rd-msssim.png",
            "rd-msssim.svg",
            "rd-butteraugli.png",
            "rd-butteraugli-3norm.svg",
            "rd-ssimulacra.png",
            "cache.csv",
            "run-info.txt")) {
      assertThat(out.resolve(f)).isNotEmptyFile();
    }
    assertThat(Files.readString(out.resolve("rd-psnr.svg"))).contains("<svg");

    // Second run: everything comes from the cache, and the points are identical.
    long t1 = System.nanoTime();
    String[] second =
        run(
            "--quick",
            "--images",
            images.toString(),
            "--out",
            out.toString(),
            "--codecs",
            String.join(",", codecs));
    long secondMs = (System.nanoTime() - t1) / 1_000_000;
    assertThat(second[1]).contains("eval: 0 new encodes");
    assertThat(Point.read(out.resolve("points.csv"))).isEqualTo(points);
    System.out.printf("eval --quick %s: %d ms, cached re-run %d ms%n", codecs, firstMs, secondMs);

    // Report-only regenerates the same summary from the data.
    summary = Files.readString(out.resolve("summary.md"), StandardCharsets.UTF_8);
    Files.delete(out.resolve("summary.md"));
    run("--report-only", "--out", out.toString());
    assertThat(Files.readString(out.resolve("summary.md"), StandardCharsets.UTF_8))
        .isEqualTo(summary);
    assertThat(first[1])
        .doesNotContain("eval: 0 new encodes")
        .contains("new perceptual scores; wrote");
  }

  /**
   * Encodes cached before the perceptual scores existed get them on the next run by re-running the
   * codec, once: the scores equal those measured on the fresh decode, and a third run measures
   * nothing.
   */
  @Test
  void cachedEncodesWithoutScoresAreScoredOnceByReRunningTheCodec(@TempDir Path out)
      throws Exception {
    Path images = kodak();
    assumeTrue(Files.isDirectory(images), "Kodak images not found at " + images);
    PerceptualMetrics tools = PerceptualMetrics.onPath();
    assumeTrue(tools.missing().isEmpty(), "libjxl-devtools not installed: " + tools.missing());
    String[] args = {
      "--quick",
      "--targets",
      "0.5",
      "--images",
      images.toString(),
      "--out",
      out.toString(),
      "--codecs",
      "jpeg-imageio"
    };
    String[] first = run(args);
    assertThat(first[1]).contains(", 3 new perceptual scores;", "1 scored (0 re-encoded)");
    List<Point> scored = Point.read(out.resolve("points.csv"));
    assertThat(scored).hasSize(3).allMatch(p -> p.butteraugli() > 0 && p.ssimulacra() > 0);

    // As left by the harness before the scores: cache.csv alone.
    Files.delete(out.resolve("perceptual.csv"));
    String[] second = run(args);
    assertThat(second[1])
        .contains("eval: 0 new encodes, 3 new perceptual scores;", "1 scored (1 re-encoded)")
        .doesNotContain("0 re-encoded");
    assertThat(Point.read(out.resolve("points.csv"))).isEqualTo(scored);
    assertThat(Files.readAllLines(out.resolve("perceptual.csv"))).hasSize(1 + 3);

    String[] third = run(args);
    assertThat(third[1]).contains("eval: 0 new encodes, 0 new perceptual scores;");
    assertThat(Point.read(out.resolve("points.csv"))).isEqualTo(scored);
  }

  @Test
  void unknownCodecIsAUsageError(@TempDir Path out) {
    StringWriter err = new StringWriter();
    int code =
        EvalCommand.run(
            new PrintWriter(new StringWriter()),
            new PrintWriter(err, true),
            "--codecs",
            "nope",
            "--out",
            out.toString(),
            "--images",
            out.toString());
    assertThat(code).isNotZero();
  }
}
