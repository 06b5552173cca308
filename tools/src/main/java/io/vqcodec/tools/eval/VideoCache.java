package io.vqcodec.tools.eval;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every coding the video harness made, keyed by (codec, configuration, reference SHA-256 of the
 * clip's RGB frames, frame count, knob), so a rerun with the same codec versions re-encodes
 * nothing. Append-only {@code cache.csv}; a later row of a key replaces an earlier one. A row
 * without PSNR is a rate-search encode that was never scored (size and encode time only).
 */
final class VideoCache implements Closeable {
  static final String HEADER =
      "codec,configuration,clip,ref_sha256,frames,knob,bytes,encode_s,decode_s,psnr,msssim,"
          + "key_frames,key_bytes,predicted_bytes";

  record Entry(
      long bytes,
      double encodeS,
      double decodeS,
      double psnr,
      double msssim,
      int keyFrames,
      long keyBytes,
      long predictedBytes) {
    boolean scored() {
      return !Double.isNaN(psnr);
    }
  }

  private final Map<String, Entry> entries = new HashMap<>();
  private final BufferedWriter writer;

  VideoCache(Path file, boolean enabled) throws IOException {
    if (!enabled) {
      writer = null;
      return;
    }
    boolean fresh = !Files.exists(file);
    if (!fresh) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (String l : lines.subList(Math.min(1, lines.size()), lines.size())) {
        if (l.isBlank()) continue;
        List<String> f = Csv.split(l);
        entries.put(
            key(f.get(0), f.get(1), f.get(3), Integer.parseInt(f.get(4)), f.get(5)),
            new Entry(
                Long.parseLong(f.get(6)),
                Double.parseDouble(f.get(7)),
                Csv.parseDouble(f.get(8)),
                Csv.parseDouble(f.get(9)),
                Csv.parseDouble(f.get(10)),
                Integer.parseInt(f.get(11)),
                Long.parseLong(f.get(12)),
                Long.parseLong(f.get(13))));
      }
    }
    writer =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    if (fresh) {
      writer.write(HEADER);
      writer.newLine();
      writer.flush();
    }
  }

  private static String key(String codec, String config, String sha, int frames, String knob) {
    return String.join("\u0000", codec, config, sha, Integer.toString(frames), knob);
  }

  int size() {
    return entries.size();
  }

  Entry get(String codec, String config, VideoClip clip, String knob) {
    return entries.get(key(codec, config, clip.sha256, clip.frames.size(), knob));
  }

  void put(String codec, String config, VideoClip clip, String knob, Entry e) throws IOException {
    entries.put(key(codec, config, clip.sha256, clip.frames.size(), knob), e);
    if (writer == null) return;
    writer.write(
        String.join(
            ",",
            Csv.quote(codec),
            Csv.quote(config),
            Csv.quote(clip.name),
            clip.sha256,
            Integer.toString(clip.frames.size()),
            knob,
            Long.toString(e.bytes()),
            Csv.format(e.encodeS(), 3),
            Csv.format(e.decodeS(), 3),
            Csv.format(e.psnr(), 4),
            Csv.format(e.msssim(), 6),
            Integer.toString(e.keyFrames()),
            Long.toString(e.keyBytes()),
            Long.toString(e.predictedBytes())));
    writer.newLine();
    writer.flush();
  }

  @Override
  public void close() throws IOException {
    if (writer != null) writer.close();
  }
}
