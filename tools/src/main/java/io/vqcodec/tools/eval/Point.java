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
 * The perceptual distances (butteraugli max-norm and 3-norm, SSIMULACRA; lower is better) are NaN,
 * an empty field in the file, where they were not measured.
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
    int threads,
    double butteraugli,
    double butteraugli3,
    double ssimulacra) {

  /** The columns before the perceptual metrics (the whole header of older files). */
  static final String HEADER_V1 =
      "image,codec,target_bpp,status,knob,bytes,bpp,psnr,msssim,enc_ms,dec_ms,threads";

  static final String HEADER = HEADER_V1 + ",butteraugli,butteraugli_3norm,ssimulacra";

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
        threads,
        e.scores().butteraugli(),
        e.scores().butteraugli3(),
        e.scores().ssimulacra());
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
        Integer.toString(threads),
        Csv.format(butteraugli, 6),
        Csv.format(butteraugli3, 6),
        Csv.format(ssimulacra, 8));
  }

  static void write(Path file, List<Point> points) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    for (Point p : points) lines.add(p.csv());
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  /** Reads a {@code points.csv}; one written before the perceptual metrics reads them as NaN. */
  static List<Point> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    int fields;
    if (!lines.isEmpty() && lines.get(0).equals(HEADER)) fields = 15;
    else if (!lines.isEmpty() && lines.get(0).equals(HEADER_V1)) fields = 12;
    else throw new IOException("not a points.csv: " + file);
    List<Point> out = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) continue;
      List<String> f = Csv.split(lines.get(i));
      if (f.size() != fields)
        throw new IOException(file + ":" + (i + 1) + ": expected " + fields + " fields");
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
              Integer.parseInt(f.get(11)),
              fields == 15 ? Csv.parseDouble(f.get(12)) : Double.NaN,
              fields == 15 ? Csv.parseDouble(f.get(13)) : Double.NaN,
              fields == 15 ? Csv.parseDouble(f.get(14)) : Double.NaN));
    }
    return out;
  }
}
