package io.vqcodec.tools.eval;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every evaluation ever made into an output folder, keyed by (codec name, configuration, threads,
 * image SHA-256, knob), in two append-only files flushed per line, so an interrupted sweep resumes
 * where it stopped and adding a codec later does not re-encode the baselines. A changed tool
 * version or setting changes the configuration string and so misses the cache.
 *
 * <ul>
 *   <li>{@code cache.csv}: size, PSNR, MS-SSIM and times of every encode ({@link #HEADER},
 *       unchanged since the first harness, so older builds still read it).
 *   <li>{@code perceptual.csv}: the perceptual scores of the encodes that a search chose ({@link
 *       #SCORES_HEADER}), under the same key plus the metric tools' identity; the {@code bytes}
 *       column must match the encode's, or the scores are not used. An encode without a row here
 *       has no scores yet: the harness measures them (re-running the codec when the decoded image
 *       is gone) and appends the row.
 * </ul>
 */
final class ResultCache implements AutoCloseable {
  static final String HEADER =
      "codec,configuration,threads,image,image_sha256,knob,width,height,bytes,psnr,msssim,enc_ms,dec_ms";
  static final String SCORES_HEADER =
      "codec,configuration,threads,image,image_sha256,knob,bytes,tools,butteraugli,butteraugli_3norm,ssimulacra";

  private final Map<String, Evaluation> entries = new HashMap<>();
  private final Map<String, Scored> scores = new HashMap<>();
  private final String tools;
  private final BufferedWriter out;
  private final BufferedWriter scoresOut;

  /** Scores as stored, with the size of the encode they were measured on. */
  private record Scored(long bytes, PerceptualMetrics.Scores scores) {}

  /**
   * Opens (and reads) {@code file} and {@code scoresFile}; with {@code enabled} false nothing is
   * read or written.
   *
   * @param tools {@link PerceptualMetrics#identity()} of the tools in use: scores of other tools
   *     are ignored
   */
  ResultCache(Path file, Path scoresFile, String tools, boolean enabled) throws IOException {
    this.tools = tools;
    if (!enabled) {
      out = null;
      scoresOut = null;
      return;
    }
    for (List<String> f : rows(file, 13)) {
      long w = Long.parseLong(f.get(6)),
          h = Long.parseLong(f.get(7)),
          bytes = Long.parseLong(f.get(8));
      Evaluation e =
          new Evaluation(
              Double.parseDouble(f.get(5)),
              bytes,
              bytes * 8.0 / (w * h),
              Csv.parseDouble(f.get(9)),
              Csv.parseDouble(f.get(10)),
              Double.parseDouble(f.get(11)),
              Double.parseDouble(f.get(12)));
      entries.put(key(f.get(0), f.get(1), Integer.parseInt(f.get(2)), f.get(4), f.get(5)), e);
    }
    for (List<String> f : rows(scoresFile, 11)) {
      if (!f.get(7).equals(tools)) continue;
      PerceptualMetrics.Scores s =
          new PerceptualMetrics.Scores(
              Csv.parseDouble(f.get(8)), Csv.parseDouble(f.get(9)), Csv.parseDouble(f.get(10)));
      scores.put(
          key(f.get(0), f.get(1), Integer.parseInt(f.get(2)), f.get(4), f.get(5)),
          new Scored(Long.parseLong(f.get(6)), s));
    }
    out = appender(file, HEADER);
    scoresOut = appender(scoresFile, SCORES_HEADER);
  }

  /** The rows of {@code file} after its header with {@code fields} fields (others: cut short). */
  private static List<List<String>> rows(Path file, int fields) throws IOException {
    if (!Files.exists(file)) return List.of();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return lines.stream()
        .skip(1)
        .map(Csv::split)
        .filter(f -> f.size() == fields) // a line cut short by an interrupted run
        .toList();
  }

  private static BufferedWriter appender(Path file, String header) throws IOException {
    boolean fresh = !Files.exists(file) || Files.size(file) == 0;
    BufferedWriter w =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    if (fresh) {
      w.write(header);
      w.newLine();
      w.flush();
    }
    return w;
  }

  int size() {
    return entries.size();
  }

  /** The cached evaluation, with its perceptual scores when they are cached too; else null. */
  Evaluation get(EvalCodec codec, SourceImage img, double knob) {
    String k = key(codec, img, knob);
    Evaluation e = entries.get(k);
    if (e == null) return null;
    Scored s = scores.get(k);
    return s != null && s.bytes() == e.bytes() ? e.withScores(s.scores()) : e;
  }

  /** Stores an evaluation (and its scores if it has any). */
  void put(EvalCodec codec, SourceImage img, Evaluation e) throws IOException {
    entries.put(key(codec, img, e.knob()), e);
    if (out != null) {
      out.write(
          String.join(
              ",",
              keyFields(codec, img, e.knob()),
              Integer.toString(img.width()),
              Integer.toString(img.height()),
              Long.toString(e.bytes()),
              Csv.format(e.psnr(), 4),
              Csv.format(e.msssim(), 6),
              Csv.format(e.encMs(), 1),
              Csv.format(e.decMs(), 1)));
      out.newLine();
      out.flush();
    }
    if (!e.scores().equals(PerceptualMetrics.Scores.MISSING)) putScores(codec, img, e);
  }

  /** The columns both files start with: codec, configuration, threads, image, its hash, knob. */
  private static String keyFields(EvalCodec codec, SourceImage img, double knob) {
    return String.join(
        ",",
        Csv.quote(codec.name()),
        Csv.quote(codec.configuration()),
        Integer.toString(codec.threads()),
        Csv.quote(img.name()),
        img.sha256(),
        EvalCodec.formatKnob(knob));
  }

  /** Stores the perceptual scores of an evaluation already {@link #put}. */
  void putScores(EvalCodec codec, SourceImage img, Evaluation e) throws IOException {
    PerceptualMetrics.Scores s = e.scores();
    scores.put(key(codec, img, e.knob()), new Scored(e.bytes(), s));
    if (scoresOut == null) return;
    scoresOut.write(
        String.join(
            ",",
            keyFields(codec, img, e.knob()),
            Long.toString(e.bytes()),
            Csv.quote(tools),
            Csv.format(s.butteraugli(), 6),
            Csv.format(s.butteraugli3(), 6),
            Csv.format(s.ssimulacra(), 8)));
    scoresOut.newLine();
    scoresOut.flush();
  }

  private static String key(EvalCodec codec, SourceImage img, double knob) {
    return key(
        codec.name(),
        codec.configuration(),
        codec.threads(),
        img.sha256(),
        EvalCodec.formatKnob(knob));
  }

  private static String key(String codec, String config, int threads, String sha, String knob) {
    return codec + '\u0000' + config + '\u0000' + threads + '\u0000' + sha + '\u0000' + knob;
  }

  @Override
  public void close() throws IOException {
    try {
      if (out != null) out.close();
    } finally {
      if (scoresOut != null) scoresOut.close();
    }
  }
}
