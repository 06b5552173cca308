package io.vqcodec.tools.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of {@code points.csv}: the setting chosen for (image, codec, target). When {@code
 * reached} is false (status "unreachable") the codec's lowest setting is still above the target by
 * more than {@link RateSearch#SLACK}; the row then holds that lowest setting's real measurements.
 */
record Point(
    String image,
    String codec,
    double target,
    boolean reached,
    double knob,
    long bytes,
    double bpp,
    double psnr,
    double msssim,
    double encMs,
    double decMs,
    int threads) {

  static final String HEADER =
      "image,codec,target_bpp,status,knob,bytes,bpp,psnr,msssim,enc_ms,dec_ms,threads";

  static Point of(String image, String codec, double target, RateSearch.Outcome o, int threads) {
    Evaluation e = o.point();
    return new Point(
        image,
        codec,
        target,
        o.reached(),
        e.knob(),
        e.bytes(),
        e.bpp(),
        e.psnr(),
        e.msssim(),
        e.encMs(),
        e.decMs(),
        threads);
  }

  /** MS-SSIM in dB, {@code -10 log10(1 - msssim)}, the scale the plots and BD-rates use. */
  double msssimDb() {
    return Bjontegaard.msssimDb(msssim);
  }

  String csv() {
    return String.join(
        ",",
        Csv.quote(image),
        Csv.quote(codec),
        Csv.format(target, 4),
        reached ? "ok" : "unreachable",
        EvalCodec.formatKnob(knob),
        Long.toString(bytes),
        Csv.format(bpp, 5),
        Csv.format(psnr, 4),
        Csv.format(msssim, 6),
        Csv.format(encMs, 1),
        Csv.format(decMs, 1),
        Integer.toString(threads));
  }

  static void write(Path file, List<Point> points) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    for (Point p : points) lines.add(p.csv());
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  static List<Point> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).equals(HEADER))
      throw new IOException("not a points.csv: " + file);
    List<Point> out = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) continue;
      List<String> f = Csv.split(lines.get(i));
      if (f.size() != 12) throw new IOException(file + ":" + (i + 1) + ": expected 12 fields");
      out.add(
          new Point(
              f.get(0),
              f.get(1),
              Double.parseDouble(f.get(2)),
              f.get(3).equals("ok"),
              Double.parseDouble(f.get(4)),
              Long.parseLong(f.get(5)),
              Double.parseDouble(f.get(6)),
              Csv.parseDouble(f.get(7)),
              Csv.parseDouble(f.get(8)),
              Csv.parseDouble(f.get(9)),
              Csv.parseDouble(f.get(10)),
              Integer.parseInt(f.get(11))));
    }
    return out;
  }
}
