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
 * Every evaluation ever made into an output folder, as {@code cache.csv}, keyed by (codec name,
 * configuration, threads, image SHA-256, knob). Append-only and flushed per line, so an interrupted
 * sweep resumes where it stopped and adding a codec later does not re-encode the baselines. A
 * changed tool version or setting changes the configuration string and so misses the cache.
 */
final class ResultCache implements AutoCloseable {
  static final String HEADER =
      "codec,configuration,threads,image,image_sha256,knob,width,height,bytes,psnr,msssim,enc_ms,dec_ms";

  private final Map<String, Evaluation> entries = new HashMap<>();
  private final BufferedWriter out;

  /** Opens (and reads) {@code file}; with {@code enabled} false nothing is read or written. */
  ResultCache(Path file, boolean enabled) throws IOException {
    if (!enabled) {
      out = null;
      return;
    }
    boolean fresh = !Files.exists(file) || Files.size(file) == 0;
    if (!fresh) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 1; i < lines.size(); i++) {
        List<String> f = Csv.split(lines.get(i));
        if (f.size() != 13) continue; // a line cut short by an interrupted run
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
    }
    out =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    if (fresh) {
      out.write(HEADER);
      out.newLine();
      out.flush();
    }
  }

  int size() {
    return entries.size();
  }

  Evaluation get(EvalCodec codec, SourceImage img, double knob) {
    return entries.get(
        key(
            codec.name(),
            codec.configuration(),
            codec.threads(),
            img.sha256(),
            EvalCodec.formatKnob(knob)));
  }

  void put(EvalCodec codec, SourceImage img, Evaluation e) throws IOException {
    String k = EvalCodec.formatKnob(e.knob());
    entries.put(key(codec.name(), codec.configuration(), codec.threads(), img.sha256(), k), e);
    if (out == null) return;
    out.write(
        String.join(
            ",",
            Csv.quote(codec.name()),
            Csv.quote(codec.configuration()),
            Integer.toString(codec.threads()),
            Csv.quote(img.name()),
            img.sha256(),
            k,
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

  private static String key(String codec, String config, int threads, String sha, String knob) {
    return codec + '\u0000' + config + '\u0000' + threads + '\u0000' + sha + '\u0000' + knob;
  }

  @Override
  public void close() throws IOException {
    if (out != null) out.close();
  }
}
