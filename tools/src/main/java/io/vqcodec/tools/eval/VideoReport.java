package io.vqcodec.tools.eval;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code points.csv}, {@code summary.md} and the RD plots of {@code vqcodec eval --video}: all
 * derived from the points and {@code run-info.txt}, so {@code --report-only} redoes them.
 */
final class VideoReport {
  static final String ANCHOR_TARGET = "libx265";

  /** The "lowest rates": points at or below this many bits per pixel. */
  static final double LOW_BPP = 0.02;

  private final List<VideoPoint> points;
  private final Map<String, String> info;
  private final List<String> clips, codecs;

  VideoReport(List<VideoPoint> points, Map<String, String> info) {
    this.points = points;
    this.info = info;
    LinkedHashSet<String> cl = new LinkedHashSet<>(), co = new LinkedHashSet<>();
    for (VideoPoint p : points) {
      cl.add(p.clip());
      co.add(p.codec());
    }
    clips = List.copyOf(cl);
    codecs = List.copyOf(co);
  }

  static void write(Path dir, List<VideoPoint> points, Map<String, String> info)
      throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(VideoPoint.HEADER);
    for (VideoPoint p : points) lines.add(p.csv());
    Files.write(dir.resolve("points.csv"), lines, StandardCharsets.UTF_8);
    EvalReport.writeInfo(dir.resolve("run-info.txt"), info);
    new VideoReport(points, info).writeDerived(dir);
  }

  static void regenerate(Path dir) throws IOException {
    List<VideoPoint> points =
        VideoPoint.parseAll(Files.readAllLines(dir.resolve("points.csv"), StandardCharsets.UTF_8));
    new VideoReport(points, EvalReport.readInfo(dir.resolve("run-info.txt"))).writeDerived(dir);
  }

  private void writeDerived(Path dir) throws IOException {
    Files.writeString(dir.resolve("summary.md"), summary(), StandardCharsets.UTF_8);
    for (String clip : clips) {
      plot(dir, clip, false);
      if (points.stream().anyMatch(p -> p.clip().equals(clip) && !Double.isNaN(p.msssim()))) {
        plot(dir, clip, true);
      }
    }
  }

  /** The points of one clip and codec, distinct settings, by rate. */
  List<VideoPoint> curve(String clip, String codec) {
    List<VideoPoint> out = new ArrayList<>();
    for (VideoPoint p : points) {
      if (!p.clip().equals(clip) || !p.codec().equals(codec)) continue;
      if (out.stream().noneMatch(o -> o.knob() == p.knob())) out.add(p);
    }
    out.sort((a, b) -> Double.compare(a.bpp(), b.bpp()));
    return out;
  }

  /**
   * BD-rate in percent of {@code test} against {@code anchor} on one clip, PCHIP, over the
   * overlapping quality range; {@code maxBpp} keeps only points at or below it; NaN when undefined.
   */
  double bdRate(String clip, String test, String anchor, boolean msssim, double maxBpp) {
    List<VideoPoint> t = curve(clip, test), a = curve(clip, anchor);
    t.removeIf(p -> p.bpp() > maxBpp);
    a.removeIf(p -> p.bpp() > maxBpp);
    ToDoubleFunction<VideoPoint> q =
        msssim ? p -> Bjontegaard.msssimDb(p.msssim()) : VideoPoint::psnr;
    if (t.stream().anyMatch(p -> Double.isNaN(q.applyAsDouble(p)))
        || a.stream().anyMatch(p -> Double.isNaN(q.applyAsDouble(p)))) return Double.NaN;
    return Bjontegaard.bdRate(
        a.stream().mapToDouble(VideoPoint::bpp).toArray(),
        a.stream().mapToDouble(q).toArray(),
        t.stream().mapToDouble(VideoPoint::bpp).toArray(),
        t.stream().mapToDouble(q).toArray(),
        Bjontegaard.Method.PCHIP);
  }

  private static String fmt(double v, int decimals) {
    if (Double.isNaN(v)) return "n/a";
    if (Double.isInfinite(v)) return "inf";
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%+.1f%%", v);
  }

  private static double mean(List<Double> v) {
    List<Double> ok = v.stream().filter(d -> !Double.isNaN(d)).toList();
    return ok.isEmpty() ? Double.NaN : ok.stream().mapToDouble(d -> d).sum() / ok.size();
  }

  String summary() {
    StringBuilder s = new StringBuilder();
    s.append("# Video: vqcodec against x264, x265, libaom-av1 and SVT-AV1, low delay\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "Measured %s on %s (%s cores), load average %s at start, %s at end; run time %s.%n",
            info.getOrDefault("date", "?"),
            info.getOrDefault("cpu", "?"),
            info.getOrDefault("cores", "?"),
            info.getOrDefault("load at start", "?"),
            info.getOrDefault("load at end", "?"),
            info.getOrDefault("run time", "(run not finished)")));
    s.append("Reproduce: `nice -n 10 bin/vqcodec ")
        .append(info.getOrDefault("command", "eval --video").replaceFirst("^vqcodec ", ""))
        .append("` from the repository root (method and settings: `tools/EVAL.md`, section Video;")
        .append(" exact settings: `run-info.txt`). vqcodec: ")
        .append(info.getOrDefault("vqcodec", "?"))
        .append(".\n\n");
    if (info.containsKey("note")) s.append("**Note.** ").append(info.get("note")).append("\n\n");
    s.append(
        "Every clip's first frames are converted once to lossless RGB (FFV1) and every codec codes"
            + " that reference. vqcodec: quality steps, low delay (`--keyint N`: one key frame,"
            + " unless the encoder detects a scene cut) and intra only (`--keyint 1`). Baselines:"
            + " CRF bisected to land on each of vqcodec's low-delay bitrates (and on the extra"
            + " targets in `run-info.txt`), no B-frames, one key"
            + " frame, 4:2:0. Rates count the whole file with its container. PSNR and MS-SSIM"
            + " (`Metrics.msssim`, the image harness's) on 8-bit RGB per frame, averaged over the"
            + " frames. BD-rates: PCHIP on log rate over the overlapping quality range (MS-SSIM on"
            + " its dB scale, -10 log10(1 - m)); negative means vqcodec needs fewer bits.\n\n");

    List<String> anchors = codecs.stream().filter(c -> VideoBaseline.named(c) != null).toList();
    s.append("## BD-rate of vqcodec (low delay) against each baseline\n\n");
    s.append("| clip | anchor | MS-SSIM | PSNR | MS-SSIM, <= 0.02 bpp | PSNR, <= 0.02 bpp |\n");
    s.append("|---|---|---:|---:|---:|---:|\n");
    for (String a : anchors) {
      List<List<Double>> cols =
          List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
      for (String clip : clips) {
        double[] v = {
          bdRate(clip, "vqcodec", a, true, Double.MAX_VALUE),
          bdRate(clip, "vqcodec", a, false, Double.MAX_VALUE),
          bdRate(clip, "vqcodec", a, true, LOW_BPP),
          bdRate(clip, "vqcodec", a, false, LOW_BPP)
        };
        for (int i = 0; i < 4; i++) cols.get(i).add(v[i]);
        s.append("| ").append(clip).append(" | ").append(a);
        for (double d : v) s.append(" | ").append(pct(d));
        s.append(" |\n");
      }
      s.append("| **mean** | **").append(a).append("**");
      for (List<Double> c : cols) s.append(" | **").append(pct(mean(c))).append("**");
      s.append(" |\n");
    }
    s.append(
        "\nMeans are over the clips where the BD-rate is defined (n/a: fewer than two points of"
            + " a curve in range, no overlapping quality, or MS-SSIM undefined: it needs 176x176"
            + " for 5 scales, so QCIF has none).\n\n");
    if (anchors.contains(ANCHOR_TARGET)) {
      List<Double> low = new ArrayList<>();
      List<String> per = new ArrayList<>();
      int negative = 0;
      for (String clip : clips) {
        double v = bdRate(clip, "vqcodec", ANCHOR_TARGET, true, LOW_BPP);
        low.add(v);
        if (Double.isNaN(v)) continue;
        per.add(clip + " " + pct(v));
        if (v < 0) negative++;
      }
      double m = mean(low);
      s.append("**Target (issue 16): a negative MS-SSIM BD-rate against x265 low delay below about")
          .append(" 0.02 bpp.** Measured on ")
          .append(per.size())
          .append(" of ")
          .append(clips.size())
          .append(" clips (")
          .append(per.isEmpty() ? "none" : String.join(", ", per))
          .append("; mean ")
          .append(pct(m))
          .append("): ")
          .append(
              per.isEmpty()
                  ? "not measurable here."
                  : negative == per.size()
                      ? "met on every clip where it is defined."
                      : "**missed** on "
                          + (per.size() - negative)
                          + " of "
                          + per.size()
                          + " clips where it is defined"
                          + (m < 0
                              ? " (the negative mean comes from the clips where it is met)."
                              : "."))
          .append("\n\n");
    }

    if (codecs.contains("vqcodec-intra")) {
      s.append("## What temporal prediction buys: vqcodec low delay against intra only\n\n");
      s.append("| clip | MS-SSIM | PSNR |\n|---|---:|---:|\n");
      for (String clip : clips) {
        s.append("| ")
            .append(clip)
            .append(" | ")
            .append(pct(bdRate(clip, "vqcodec", "vqcodec-intra", true, Double.MAX_VALUE)))
            .append(" | ")
            .append(pct(bdRate(clip, "vqcodec", "vqcodec-intra", false, Double.MAX_VALUE)))
            .append(" |\n");
      }
      s.append("\n");
    }

    s.append("## Key and predicted frames (vqcodec)\n\n");
    s.append(
        "| clip | step | key frames | key bytes | predicted bytes | bytes per predicted frame |"
            + " intra-only bytes per frame | predicted / intra | PSNR low delay | PSNR intra |\n");
    s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String clip : clips) {
      for (VideoPoint p : curve(clip, "vqcodec")) {
        int others = p.frames() - p.keyFrames();
        double perPredicted = others == 0 ? Double.NaN : (double) p.predictedBytes() / others;
        VideoPoint intra =
            curve(clip, "vqcodec-intra").stream()
                .filter(i -> i.knob() == p.knob())
                .findFirst()
                .orElse(null);
        double intraPer =
            intra == null
                ? Double.NaN
                : (double) (intra.keyBytes() + intra.predictedBytes()) / intra.frames();
        s.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %d | %d | %d | %s | %s | %s | %s | %s |%n",
                clip,
                (int) p.knob(),
                p.keyFrames(),
                p.keyBytes(),
                p.predictedBytes(),
                fmt(perPredicted, 1),
                fmt(intraPer, 1),
                Double.isNaN(intraPer) ? "n/a" : fmt(100 * perPredicted / intraPer, 1) + "%",
                fmt(p.psnr(), 2),
                intra == null ? "n/a" : fmt(intra.psnr(), 2)));
      }
    }
    s.append(
        "\nBytes are whole frames, headers included, from `vqcodec info --json` (the file adds its own header and the frame index)."
            + " The ratio compares equal quality steps, not equal PSNR (both PSNRs shown).\n\n");

    s.append("## Points per clip\n\n");
    s.append(
        "Frames per second are whole-process wall time over the frames: for vqcodec the JVM"
            + " start, model load, reading the FFV1 reference (encode) or writing FFV1 (decode);"
            + " for the baselines one `ffmpeg` process (encode from the FFV1 reference; decode to"
            + " `-f null`). `unreachable`: the baseline's highest CRF is still over 10% above the"
            + " target (that setting's real measurements are shown).\n\n");
    for (String clip : clips) {
      VideoPoint any = points.stream().filter(p -> p.clip().equals(clip)).findFirst().orElseThrow();
      s.append(
          String.format(
              Locale.ROOT,
              "### %s (%dx%d, %d frames, %.2f s)%n%n",
              clip,
              any.width(),
              any.height(),
              any.frames(),
              any.seconds()));
      s.append(
          "| codec | step / CRF | target kbit/s | status | kbit/s | bpp | PSNR dB | MS-SSIM |"
              + " encode fps | decode fps |\n");
      s.append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
      for (VideoPoint p : points) {
        if (!p.clip().equals(clip)) continue;
        s.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %.1f | %.4f | %s | %s | %s | %s |%n",
                p.codec(),
                Csv.format(
                    p.knob(),
                    VideoBaseline.named(p.codec()) == null || VideoBaseline.named(p.codec()).integer
                        ? 0
                        : 2),
                Double.isNaN(p.targetKbps()) ? "-" : fmt(p.targetKbps(), 1),
                p.status(),
                p.kbps(),
                p.bpp(),
                fmt(p.psnr(), 2),
                fmt(p.msssim(), 4),
                fmt(p.encodeFps(), 2),
                fmt(p.decodeFps(), 2)));
      }
      s.append("\n![PSNR](rd-").append(clip).append("-psnr.png)");
      if (points.stream().anyMatch(p -> p.clip().equals(clip) && !Double.isNaN(p.msssim()))) {
        s.append(" ![MS-SSIM](rd-").append(clip).append("-msssim.png)");
      }
      s.append("\n\n");
    }
    return s.toString();
  }

  // xchart 4.0.3 deprecates every save method without offering a replacement; these still work.
  @SuppressWarnings("deprecation")
  private void plot(Path dir, String clip, boolean msssim) throws IOException {
    String yTitle = msssim ? "MS-SSIM (RGB), dB: -10 log10(1 - m)" : "PSNR (RGB), dB";
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(600)
            .title(clip + ": " + (msssim ? "MS-SSIM" : "PSNR") + " vs rate (low delay)")
            .xAxisTitle("bits per pixel (log scale)")
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setMarkerSize(7);
    chart.getStyler().setPlotGridLinesVisible(true);
    chart.getStyler().setXAxisLogarithmic(true);
    int series = 0;
    for (String c : codecs) {
      List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
      for (VideoPoint p : curve(clip, c)) {
        double y = msssim ? Bjontegaard.msssimDb(p.msssim()) : p.psnr();
        if (Double.isNaN(y) || Double.isInfinite(y)) continue;
        xs.add(p.bpp());
        ys.add(y);
      }
      if (xs.isEmpty()) continue;
      XYSeries se = chart.addSeries(c, xs, ys);
      se.setMarker(SeriesMarkers.CIRCLE);
      series++;
    }
    if (series == 0) chart.addSeries("(no points)", new double[] {1}, new double[] {0});
    String name = "rd-" + clip + "-" + (msssim ? "msssim" : "psnr");
    try (OutputStream png = Files.newOutputStream(dir.resolve(name + ".png"))) {
      BitmapEncoder.saveBitmap(chart, png, BitmapEncoder.BitmapFormat.PNG);
    }
    try (OutputStream svg = Files.newOutputStream(dir.resolve(name + ".svg"))) {
      VectorGraphicsEncoder.saveVectorGraphic(
          chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }
  }
}
