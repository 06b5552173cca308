package io.vqcodec.tools.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Perceptual distances from libjxl's developer tools (Debian {@code libjxl-devtools}): {@code
 * butteraugli_main REF DIST} prints the max-norm distance on its first line and {@code 3-norm: X}
 * on the second; {@code ssimulacra_main REF DIST} prints one number (SSIMULACRA 1, not
 * SSIMULACRA2). All three are distances: lower is better, 0 for identical images.
 *
 * <p>Both images are handed over as 8-bit RGB PNGs written from the harness's own pixels, without
 * colour chunks, so the tools read both as sRGB (the Kodak PNGs carry sRGB and gAMA chunks; the
 * decoded images would not). Butteraugli runs with its defaults (80-nit intensity target). A tool
 * that is not on the PATH gives NaN for its columns, never a number.
 */
final class PerceptualMetrics {
  static final String BUTTERAUGLI = "butteraugli_main";
  static final String SSIMULACRA = "ssimulacra_main";
  private static final long TIMEOUT_S = 300;
  private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(?:\\.\\d*)?(?:[eE][-+]?\\d+)?");
  private static final Pattern THREE_NORM =
      Pattern.compile("^3-norm:\\s*(" + NUMBER.pattern() + ")\\s*$", Pattern.MULTILINE);

  /**
   * The three distances of one decoded image against its original; NaN where not measured.
   *
   * @param butteraugli butteraugli max-norm (the tool's headline number)
   * @param butteraugli3 butteraugli 3-norm
   * @param ssimulacra SSIMULACRA (version 1)
   */
  record Scores(double butteraugli, double butteraugli3, double ssimulacra) {
    static final Scores MISSING = new Scores(Double.NaN, Double.NaN, Double.NaN);

    /** Whether every distance was measured. */
    boolean complete() {
      return !Double.isNaN(butteraugli) && !Double.isNaN(butteraugli3) && !Double.isNaN(ssimulacra);
    }
  }

  private final String butteraugli;
  private final String ssimulacra;
  private final String version;

  /**
   * @param butteraugli the butteraugli program, or null when absent
   * @param ssimulacra the SSIMULACRA program, or null when absent
   * @param version the tools' version (part of the score cache's key)
   */
  PerceptualMetrics(String butteraugli, String ssimulacra, String version) {
    this.butteraugli = butteraugli;
    this.ssimulacra = ssimulacra;
    this.version = version;
  }

  /** The tools found on the PATH, with the Debian package's version when dpkg knows it. */
  static PerceptualMetrics onPath() {
    String b = CommandLineCodec.onPath(BUTTERAUGLI) ? BUTTERAUGLI : null;
    String s = CommandLineCodec.onPath(SSIMULACRA) ? SSIMULACRA : null;
    return new PerceptualMetrics(b, s, b == null && s == null ? "none" : packageVersion());
  }

  /** None of the tools: every score missing (for {@code --report-only} and tests). */
  static PerceptualMetrics none() {
    return new PerceptualMetrics(null, null, "none");
  }

  /** Whether any tool is present (if not, there is nothing to measure). */
  boolean anyAvailable() {
    return butteraugli != null || ssimulacra != null;
  }

  /** One line per missing tool, for the run's log. */
  List<String> missing() {
    List<String> m = new ArrayList<>();
    if (butteraugli == null)
      m.add(BUTTERAUGLI + " not on PATH: butteraugli columns reported as missing");
    if (ssimulacra == null)
      m.add(SSIMULACRA + " not on PATH: ssimulacra column reported as missing");
    return m;
  }

  /**
   * Which tools and version score the images, e.g. {@code "butteraugli_main+ssimulacra_main
   * libjxl-devtools 0.7.0-10+deb12u1"}; part of the score cache's key, so other tools miss it.
   */
  String identity() {
    return (butteraugli == null ? "-" : BUTTERAUGLI)
        + "+"
        + (ssimulacra == null ? "-" : SSIMULACRA)
        + " libjxl-devtools "
        + version;
  }

  /**
   * Scores {@code decoded} against {@code source}; {@code work} receives two PNG files.
   *
   * @throws IOException when a present tool fails or prints something unexpected
   */
  Scores measure(SourceImage source, BufferedImage decoded, Path work) throws IOException {
    if (!anyAvailable()) return Scores.MISSING;
    Path ref = work.resolve("metric-ref-" + source.sha256().substring(0, 16) + ".png");
    if (!Files.exists(ref)) writePng(source.rgb(), ref);
    Path dist = work.resolve("metric-dist.png");
    writePng(decoded, dist);
    double max = Double.NaN, three = Double.NaN, ssim = Double.NaN;
    if (butteraugli != null) {
      double[] b = parseButteraugli(stdout(List.of(butteraugli, ref.toString(), dist.toString())));
      max = b[0];
      three = b[1];
    }
    if (ssimulacra != null)
      ssim = parseSsimulacra(stdout(List.of(ssimulacra, ref.toString(), dist.toString())));
    return new Scores(max, three, ssim);
  }

  /**
   * {max-norm, 3-norm} from {@code butteraugli_main}'s standard output: a number alone on the first
   * line, then {@code 3-norm: X}.
   */
  static double[] parseButteraugli(String out) throws IOException {
    String[] lines = out.strip().split("\\R");
    if (lines.length < 2 || !NUMBER.matcher(lines[0].strip()).matches())
      throw new IOException(BUTTERAUGLI + ": unexpected output: " + out.strip());
    Matcher m = THREE_NORM.matcher(out);
    if (!m.find()) throw new IOException(BUTTERAUGLI + ": no 3-norm line in: " + out.strip());
    return new double[] {Double.parseDouble(lines[0].strip()), Double.parseDouble(m.group(1))};
  }

  /** The SSIMULACRA distance from {@code ssimulacra_main}'s standard output: one number. */
  static double parseSsimulacra(String out) throws IOException {
    String s = out.strip();
    if (!NUMBER.matcher(s).matches())
      throw new IOException(SSIMULACRA + ": unexpected output: " + s);
    return Double.parseDouble(s);
  }

  private static void writePng(BufferedImage img, Path file) throws IOException {
    if (!ImageIO.write(SourceImage.toRgb(img), "png", file.toFile()))
      throw new IOException("no PNG writer");
  }

  /** Runs a command, returns its standard output; fails with both streams on a non-zero exit. */
  private static String stdout(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
    p.getOutputStream().close();
    // The tools print a few lines: reading stdout, then stderr, cannot dead-lock on full pipes.
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", command));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
    if (p.exitValue() != 0)
      throw new IOException(
          "exit " + p.exitValue() + ": " + String.join(" ", command) + "\n" + (out + err).strip());
    return out;
  }

  /** {@code dpkg-query}'s version of libjxl-devtools, or "unknown version". */
  private static String packageVersion() {
    try {
      Process p =
          new ProcessBuilder("dpkg-query", "-W", "-f", "${Version}", "libjxl-devtools")
              .redirectErrorStream(true)
              .start();
      String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && !v.isEmpty() && !v.contains(" "))
        return v;
    } catch (IOException e) {
      // not a Debian system
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "unknown version";
  }

  @Override
  public String toString() {
    return identity();
  }
}
