package io.vqcodec.tools.eval;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Derives {@code summary.md} and the plots {@code rd-psnr}, {@code rd-msssim}, {@code
 * rd-butteraugli}, {@code rd-butteraugli-3norm} and {@code rd-ssimulacra} (PNG and SVG) from {@code
 * points.csv} and {@code run-info.txt} alone, so the plots are always regenerated from the
 * committed data ({@code vqcodec eval --report-only}).
 *
 * <p>Averaging: for each codec and target, arithmetic means of bpp, PSNR (dB), MS-SSIM and times
 * over all images, each at its chosen setting. Where the codec cannot go down to the target on an
 * image, that image contributes its lowest setting (a real encode), so every number averages the
 * same images and the mean bpp then lies above the target; the "reached" count says how often that
 * happened. A perceptual mean is shown only when every image has the score (otherwise it is
 * reported missing). BD-rates are computed per image against the anchor (AVIF when present) on each
 * codec's distinct chosen settings, over the quality range both curves cover on that image, then
 * averaged over the images where both curves have enough points.
 */
public final class EvalReport {
  /** The BD-rate anchor codec. */
  static final String ANCHOR = "avif";

  /**
   * A quality axis: its plot, its title, and the value per point with higher = better (the
   * perceptual distances negated) that BD-rates integrate over.
   */
  enum Quality {
    PSNR("rd-psnr", "PSNR-RGB (dB)", false),
    MSSSIM("rd-msssim", "MS-SSIM-RGB (dB, -10 log10(1 - MS-SSIM))", false),
    BUTTERAUGLI("rd-butteraugli", "butteraugli max-norm (lower is better)", true),
    BUTTERAUGLI_3NORM("rd-butteraugli-3norm", "butteraugli 3-norm (lower is better)", true),
    SSIMULACRA("rd-ssimulacra", "SSIMULACRA (lower is better)", true);

    final String plot;
    final String title;
    final boolean perceptual;

    Quality(String plot, String title, boolean perceptual) {
      this.plot = plot;
      this.title = title;
      this.perceptual = perceptual;
    }

    /** The value plotted for a mean, on this axis's own scale (distances as they are). */
    double of(Mean m) {
      return switch (this) {
        case PSNR -> m.psnr();
        case MSSSIM -> Bjontegaard.msssimDb(m.msssim());
        case BUTTERAUGLI -> m.butteraugli();
        case BUTTERAUGLI_3NORM -> m.butteraugli3();
        case SSIMULACRA -> m.ssimulacra();
      };
    }

    /** One point's quality, higher = better: PSNR, MS-SSIM dB, or minus the distance. */
    double higherIsBetter(Point p) {
      return switch (this) {
        case PSNR -> p.psnr();
        case MSSSIM -> p.msssimDb();
        case BUTTERAUGLI -> -p.butteraugli();
        case BUTTERAUGLI_3NORM -> -p.butteraugli3();
        case SSIMULACRA -> -p.ssimulacra();
      };
    }
  }

  private final List<Point> points;
  private final Map<String, String> info;
  private final List<String> codecs;
  private final List<Double> targets;
  private final List<String> images;

  EvalReport(List<Point> points, Map<String, String> info) {
    this.points = points;
    this.info = info;
    Set<String> c = new LinkedHashSet<>();
    Set<Double> t = new TreeSet<>();
    Set<String> im = new TreeSet<>();
    for (Point p : points) {
      c.add(p.codec());
      t.add(p.target());
      im.add(p.image());
    }
    this.codecs = new ArrayList<>(c);
    this.targets = new ArrayList<>(t);
    this.images = new ArrayList<>(im);
  }

  /**
   * Reads {@code points.csv} and {@code run-info.txt} from {@code dir} and writes the summary and
   * plots there.
   */
  public static void regenerate(Path dir) throws IOException {
    new EvalReport(Point.read(dir.resolve("points.csv")), readInfo(dir.resolve("run-info.txt")))
        .write(dir);
  }

  void write(Path dir) throws IOException {
    Files.writeString(dir.resolve("summary.md"), summary(), StandardCharsets.UTF_8);
    for (Quality q : Quality.values()) plot(dir, q);
  }

  /**
   * Means of one codec at one target over all its images; {@code reached} of {@code total} reached
   * the target.
   */
  record Mean(
      int reached,
      int total,
      double bpp,
      double psnr,
      double msssim,
      double encMs,
      double decMs,
      int scored,
      double butteraugli,
      double butteraugli3,
      double ssimulacra) {}

  /**
   * Means of one codec at one target; a perceptual mean is NaN (missing) unless every image has
   * that score. {@code scored} counts the images with all three.
   */
  Mean mean(String codec, double target) {
    int n = 0, total = 0, scored = 0;
    double bpp = 0, psnr = 0, ms = 0, enc = 0, dec = 0, ba = 0, ba3 = 0, ssimu = 0;
    for (Point p : points) {
      if (!p.codec().equals(codec) || p.target() != target) continue;
      total++;
      if (p.reached()) n++;
      bpp += p.bpp();
      psnr += p.psnr();
      ms += p.msssim();
      enc += p.encMs();
      dec += p.decMs();
      ba += p.butteraugli(); // NaN (not measured) makes the mean NaN
      ba3 += p.butteraugli3();
      ssimu += p.ssimulacra();
      if (!Double.isNaN(p.butteraugli() + p.butteraugli3() + p.ssimulacra())) scored++;
    }
    double nan = Double.NaN;
    return total == 0
        ? new Mean(0, 0, nan, nan, nan, nan, nan, 0, nan, nan, nan)
        : new Mean(
            n,
            total,
            bpp / total,
            psnr / total,
            ms / total,
            enc / total,
            dec / total,
            scored,
            ba / total,
            ba3 / total,
            ssimu / total);
  }

  /**
   * How far one codec's files land from one target, over the images that reach it: mean and worst
   * (largest magnitude) signed deviation (bpp - target) / target in percent, and how many are
   * within 5%.
   */
  record Landing(int reached, int total, double meanPercent, double worstPercent, int within5) {}

  Landing landing(String codec, double target) {
    int n = 0, total = 0, within = 0;
    double sum = 0, worst = 0;
    for (Point p : points) {
      if (!p.codec().equals(codec) || p.target() != target) continue;
      total++;
      if (!p.reached()) continue;
      double d = (p.bpp() - target) / target * 100;
      n++;
      sum += d;
      if (Math.abs(d) > Math.abs(worst)) worst = d;
      if (Math.abs(d) <= 5) within++;
    }
    return new Landing(
        n, total, n == 0 ? Double.NaN : sum / n, n == 0 ? Double.NaN : worst, within);
  }

  /**
   * One row per codec but the anchor: for each quality of {@code qualities}, the BD-rate by each
   * method and its image count.
   */
  private void bdRows(StringBuilder s, List<Quality> qualities) {
    for (String c : codecs) {
      if (c.equals(ANCHOR)) continue;
      s.append("| ").append(c);
      for (Quality q : qualities) {
        for (Bjontegaard.Method m : Bjontegaard.Method.values()) {
          Bd bd = bdRate(c, q, m);
          s.append(" | ")
              .append(
                  Double.isNaN(bd.percent())
                      ? "n/a"
                      : String.format(Locale.ROOT, "%+.1f%%", bd.percent()))
              .append(" | ")
              .append(bd.images());
        }
      }
      s.append(" |\n");
    }
  }

  /** Mean BD-rate of {@code codec} against the anchor over images, and how many images had one. */
  record Bd(double percent, int images) {}

  Bd bdRate(String codec, Quality quality, Bjontegaard.Method method) {
    double sum = 0;
    int n = 0;
    for (String image : images) {
      double[][] a = curve(ANCHOR, image, quality), t = curve(codec, image, quality);
      double v = Bjontegaard.bdRate(a[0], a[1], t[0], t[1], method);
      if (Double.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    return new Bd(n == 0 ? Double.NaN : sum / n, n);
  }

  /**
   * {bpp[], quality[]} of one codec's chosen settings on one image, one per distinct knob; empty
   * for a perceptual metric that a point lacks (a partial curve would cover another range).
   */
  private double[][] curve(String codec, String image, Quality quality) {
    Map<Double, Point> byKnob = new LinkedHashMap<>();
    for (Point p : points) {
      if (p.codec().equals(codec) && p.image().equals(image)) byKnob.putIfAbsent(p.knob(), p);
    }
    double[] r = new double[byKnob.size()], q = new double[byKnob.size()];
    int i = 0;
    for (Point p : byKnob.values()) {
      r[i] = p.bpp();
      q[i++] = quality.higherIsBetter(p);
      if (quality.perceptual && Double.isNaN(q[i - 1])) return new double[][] {{}, {}};
    }
    return new double[][] {r, q};
  }

  String summary() {
    StringBuilder s = new StringBuilder();
    s.append("# Rate-distortion baselines: ")
        .append(info.getOrDefault("dataset", "images"))
        .append("\n\n");
    s.append(
            "Generated by `vqcodec eval` (io.vqcodec.tools.eval) from `points.csv`; do not edit by hand. ")
        .append("How to reproduce: `tools/EVAL.md`.\n\n");
    s.append("## Setup\n\n");
    for (String k :
        List.of("command", "date", "cpu", "cores", "threads", "load", "java", "os", "metrics")) {
      if (info.containsKey(k))
        s.append("- ").append(k).append(": ").append(info.get(k)).append('\n');
    }
    s.append("- images: ")
        .append(images.size())
        .append(" (")
        .append(images.isEmpty() ? "" : images.get(0))
        .append(" .. ")
        .append(images.isEmpty() ? "" : images.get(images.size() - 1))
        .append(")\n\n");
    s.append("| codec | configuration |\n|---|---|\n");
    for (String c : codecs)
      s.append("| ")
          .append(c)
          .append(" | `")
          .append(info.getOrDefault("codec." + c, "?"))
          .append("` |\n");
    s.append(
            "\nMethod. For each image, codec and target the codec's knob is bisected to the setting whose file ")
        .append(
            "(all headers included; bpp = bytes * 8 / (W * H)) is closest to the target. A target is ")
        .append("*unreachable* for an image when even the codec's lowest setting is more than ")
        .append(Math.round(RateSearch.SLACK * 100))
        .append("% above it. ")
        .append(
            "PSNR: 8-bit RGB, one MSE over the three channels. MS-SSIM: 5 scales, 11-tap Gaussian (sigma 1.5), ")
        .append("computed per R, G, B channel and averaged (CompressAI's ms-ssim-rgb). ")
        .append("Table values are means over all ")
        .append(images.size())
        .append(" images, each at its chosen setting; ")
        .append("where a codec cannot go down to the target on an image (`reached` < ")
        .append(images.size())
        .append(
            "), that image contributes the codec's lowest setting, so the mean bpp lies above the target and ")
        .append(
            "rows of a codec that reached nothing repeat its lowest-setting point. PSNR is averaged in dB; ")
        .append(
            "MS-SSIM dB = -10 log10(1 - mean MS-SSIM). Times are wall-clock per image for the chosen setting, ")
        .append(
            "command-line codecs including process start-up, measured at low priority on a shared machine ")
        .append(
            "when the encode was first made (a re-run takes them from `cache.csv`): indicative only.\n\n");
    s.append("## Per codec and target\n\n");
    s.append(
        "| codec | target bpp | reached | bpp | PSNR dB | MS-SSIM | MS-SSIM dB | enc ms | dec ms |\n");
    s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String c : codecs) {
      for (double t : targets) {
        Mean m = mean(c, t);
        s.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %d/%d | %s | %s | %s | %s | %s | %s |%n",
                c,
                fmtTarget(t),
                m.reached(),
                m.total(),
                fmt(m.bpp(), 4),
                fmt(m.psnr(), 2),
                fmt(m.msssim(), 4),
                fmt(Bjontegaard.msssimDb(m.msssim()), 2),
                fmt(m.encMs(), 0),
                fmt(m.decMs(), 0)));
      }
    }
    s.append("\n## Perceptual metrics (lower is better)\n\n")
        .append("Distances of the decoded image from the original, from libjxl's tools (`")
        .append(info.getOrDefault("metrics", "?"))
        .append(
            "`): butteraugli (`butteraugli_main ORIG DECODED`, default 80-nit intensity target) ")
        .append(
            "max-norm, the worst local difference, and its 3-norm (the second line it prints); ")
        .append("SSIMULACRA (`ssimulacra_main ORIG DECODED`, version 1, not SSIMULACRA2). ")
        .append(
            "Lower is better for all three; 0 = identical. Both images are given as 8-bit sRGB PNGs. ")
        .append(
            "Means over the same images and settings as above; `scored` counts the images with ")
        .append(
            "all three scores, and a mean is `-` (missing) unless every image has that score.\n\n");
    s.append(
        "| codec | target bpp | bpp | butteraugli max-norm | butteraugli 3-norm | SSIMULACRA | scored |\n");
    s.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (String c : codecs) {
      for (double t : targets) {
        Mean m = mean(c, t);
        s.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s | %s | %d/%d |%n",
                c,
                fmtTarget(t),
                fmt(m.bpp(), 4),
                fmt(m.butteraugli(), 3),
                fmt(m.butteraugli3(), 3),
                fmt(m.ssimulacra(), 4),
                m.scored(),
                m.total()));
      }
    }
    if (codecs.contains(ANCHOR)) {
      s.append("\n## BD-rate against ").append(ANCHOR).append("\n\n");
      s.append(
              "Per image, on each codec's distinct chosen settings, over the quality range both curves cover, ")
          .append(
              "then averaged over the images where both curves have enough points (`n`). Negative = fewer bits ")
          .append("than ")
          .append(ANCHOR)
          .append(" for the same quality. PCHIP: piecewise cubic Hermite interpolation ")
          .append(
              "of log10(bpp) against quality (>= 2 points); cubic: VCEG-M33 least-squares cubic (>= 4 points). ")
          .append("MS-SSIM in dB.\n\n");
      s.append(
          "| codec | PSNR, pchip | n | PSNR, cubic | n | MS-SSIM, pchip | n | MS-SSIM, cubic | n |\n");
      s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      bdRows(s, List.of(Quality.PSNR, Quality.MSSSIM));
      s.append(
              "\nOn the perceptual distances (lower is better; BD-rate integrates log10(bpp) against ")
          .append(
              "minus the distance, over the range both curves cover; an image counts only where ")
          .append("every chosen setting of both codecs has the score):\n\n");
      s.append("| codec | butteraugli, pchip | n | butteraugli, cubic | n ")
          .append("| butteraugli 3-norm, pchip | n | butteraugli 3-norm, cubic | n ")
          .append("| SSIMULACRA, pchip | n | SSIMULACRA, cubic | n |\n");
      s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      bdRows(s, List.of(Quality.BUTTERAUGLI, Quality.BUTTERAUGLI_3NORM, Quality.SSIMULACRA));
    }
    s.append("\n## Distance from the target\n\n")
        .append(
            "Per codec and target, over the images that reach it: mean and worst signed deviation of the ")
        .append(
            "file's bpp from the target, (bpp - target) / target, and how many files land within 5%.\n\n")
        .append("| codec | target bpp | reached | mean deviation | worst deviation | within 5% |\n")
        .append("|---|---:|---:|---:|---:|---:|\n");
    for (String c : codecs) {
      for (double t : targets) {
        Landing l = landing(c, t);
        if (l.reached() == 0) continue;
        s.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %d/%d | %+.2f%% | %+.2f%% | %d/%d |%n",
                c,
                fmtTarget(t),
                l.reached(),
                l.total(),
                l.meanPercent(),
                l.worstPercent(),
                l.within5(),
                l.reached()));
      }
    }
    s.append(
            "\n## Plots\n\nOne point per codec and target (the table's means); repeated points are drawn once.\n\n")
        .append("![PSNR](rd-psnr.png)\n\n![MS-SSIM](rd-msssim.png)\n\n")
        .append("![butteraugli max-norm](rd-butteraugli.png)\n\n")
        .append("![butteraugli 3-norm](rd-butteraugli-3norm.png)\n\n")
        .append("![SSIMULACRA](rd-ssimulacra.png)\n");
    return s.toString();
  }

  // xchart 4.0.3 deprecates every save method without offering a replacement; these still work.
  @SuppressWarnings("deprecation")
  private void plot(Path dir, Quality quality) throws IOException {
    String name = quality.plot, yTitle = quality.title;
    System.setProperty("java.awt.headless", "true");
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(600)
            .title(info.getOrDefault("dataset", "") + ": " + yTitle + " vs rate")
            .xAxisTitle("bits per pixel")
            .yAxisTitle(yTitle)
            .build();
    // Distances fall with the rate: their curves end low on the right, so the legend goes up.
    chart
        .getStyler()
        .setLegendPosition(
            quality.perceptual
                ? org.knowm.xchart.style.Styler.LegendPosition.InsideNE
                : org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
    chart.getStyler().setMarkerSize(7);
    chart.getStyler().setPlotGridLinesVisible(true);
    int series = 0;
    for (String c : codecs) {
      List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
      for (double t : targets) {
        Mean m = mean(c, t);
        double y = quality.of(m);
        if (m.total() == 0
            || Double.isNaN(y)
            || (!xs.isEmpty() && xs.get(xs.size() - 1) == m.bpp())) continue;
        xs.add(m.bpp());
        ys.add(y);
      }
      if (xs.isEmpty()) continue;
      XYSeries s = chart.addSeries(c, xs, ys);
      s.setMarker(SeriesMarkers.CIRCLE);
      series++;
    }
    if (series == 0) chart.addSeries("(no points)", new double[] {0}, new double[] {0});
    try (OutputStream png = Files.newOutputStream(dir.resolve(name + ".png"))) {
      BitmapEncoder.saveBitmap(chart, png, BitmapEncoder.BitmapFormat.PNG);
    }
    try (OutputStream svg = Files.newOutputStream(dir.resolve(name + ".svg"))) {
      VectorGraphicsEncoder.saveVectorGraphic(
          chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }
  }

  /** A target as given: three decimals, four below 0.01 (0.0075). */
  private static String fmtTarget(double t) {
    return fmt(t, t < 0.01 ? 4 : 3);
  }

  private static String fmt(double v, int decimals) {
    if (Double.isNaN(v)) return "-";
    if (Double.isInfinite(v)) return "inf";
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  static Map<String, String> readInfo(Path file) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    if (!Files.exists(file)) return m;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int i = line.indexOf(": ");
      if (i > 0) m.put(line.substring(0, i), line.substring(i + 2));
    }
    return m;
  }

  static void writeInfo(Path file, Map<String, String> info) throws IOException {
    List<String> lines = new ArrayList<>();
    info.forEach((k, v) -> lines.add(k + ": " + v.replace('\n', ' ')));
    Files.write(file, lines, StandardCharsets.UTF_8);
  }
}
