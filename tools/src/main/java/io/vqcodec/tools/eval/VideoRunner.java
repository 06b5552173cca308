package io.vqcodec.tools.eval;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Codes, decodes and scores one clip for {@link VideoEvalCommand}, through the cache. */
final class VideoRunner {
  private final VideoClip clip;
  private final Path dir;
  private final VideoCache cache;
  private final Path vqcodec;
  private final String vqConfig, ffmpeg;
  private final PrintWriter log;
  int fresh;

  VideoRunner(
      VideoClip clip,
      Path dir,
      VideoCache cache,
      Path vqcodec,
      String vqConfig,
      String ffmpeg,
      PrintWriter log) {
    this.clip = clip;
    this.dir = dir;
    this.cache = cache;
    this.vqcodec = vqcodec;
    this.vqConfig = vqConfig;
    this.ffmpeg = ffmpeg;
    this.log = log;
  }

  private int n() {
    return clip.frames.size();
  }

  /** vqcodec at quality step {@code q}: low delay (one key frame) or intra only. */
  VideoPoint vqcodec(int q, boolean intra) throws IOException {
    String codec = intra ? "vqcodec-intra" : "vqcodec";
    String knob = Integer.toString(q);
    VideoCache.Entry e = cache.get(codec, vqConfig, clip, knob);
    if (e == null || !e.scored()) {
      Path vqc = dir.resolve(codec + "-" + q + ".vqc"), dec = dir.resolve(codec + "-" + q + ".mkv");
      String cli = vqcodec.toString();
      double enc =
          Processes.run(
              List.of(
                  cli,
                  "encode",
                  "--force",
                  "--frames",
                  Integer.toString(n()),
                  "--quality",
                  knob,
                  "--keyint",
                  Integer.toString(intra ? 1 : n()),
                  clip.reference.toString(),
                  vqc.toString()));
      long[] fb =
          VideoEvalCommand.frameBytes(
              Processes.output(List.of(cli, "info", "--json", vqc.toString())));
      double decS =
          Processes.run(List.of(cli, "decode", "--force", vqc.toString(), dec.toString()));
      double[] s = clip.score(dec);
      e = new VideoCache.Entry(Files.size(vqc), enc, decS, s[0], s[1], (int) fb[0], fb[1], fb[2]);
      cache.put(codec, vqConfig, clip, knob, e);
      fresh++;
      Files.deleteIfExists(dec);
    }
    VideoPoint p = point(codec, Double.NaN, VideoPoint.STEP, q, e);
    logPoint(p);
    return p;
  }

  private String config(VideoBaseline b) {
    return ffmpeg + "; " + b.describe();
  }

  private Path file(VideoBaseline b, double crf) {
    return dir.resolve(b.codec + "-" + b.knob(crf) + "." + b.extension);
  }

  /** A bisection over {@code b}'s CRF on this clip; its encodes are cached by size. */
  VideoRateSearch search(VideoBaseline b, double tolerance) {
    return new VideoRateSearch(
        crf -> {
          VideoCache.Entry e = cache.get(b.codec, config(b), clip, b.knob(crf));
          if (e != null) return e.bytes();
          Path f = file(b, crf);
          double enc = Processes.run(b.encode(clip.reference, n(), crf, f));
          e =
              new VideoCache.Entry(
                  Files.size(f), enc, Double.NaN, Double.NaN, Double.NaN, 1, -1, -1);
          cache.put(b.codec, config(b), clip, b.knob(crf), e);
          fresh++;
          return e.bytes();
        },
        b.lo,
        b.hi,
        b.integer,
        tolerance);
  }

  /** {@code b} at the setting whose bytes are closest to {@code kbps}, scored. */
  VideoPoint baseline(VideoBaseline b, VideoRateSearch search, double kbps) throws IOException {
    double targetBytes = kbps * 1000 * clip.seconds() / 8;
    VideoRateSearch.Outcome o = search.search(targetBytes);
    String knob = b.knob(o.knob());
    VideoCache.Entry e = cache.get(b.codec, config(b), clip, knob);
    if (!e.scored()) {
      Path f = file(b, o.knob());
      double enc = e.encodeS();
      if (!Files.exists(f) || Files.size(f) != e.bytes()) {
        enc = Processes.run(b.encode(clip.reference, n(), o.knob(), f));
        if (Files.size(f) != e.bytes()) {
          log.printf("eval --video: warning: %s re-encoded to another size%n", f.getFileName());
        }
      }
      double dec = Processes.run(VideoBaseline.decode(f));
      double[] s = clip.score(f);
      e = new VideoCache.Entry(Files.size(f), enc, dec, s[0], s[1], 1, -1, -1);
      cache.put(b.codec, config(b), clip, knob, e);
      fresh++;
    }
    VideoPoint p = point(b.codec, kbps, o.reached() ? "ok" : "unreachable", o.knob(), e);
    logPoint(p);
    return p;
  }

  private VideoPoint point(
      String codec, double target, String status, double knob, VideoCache.Entry e) {
    return new VideoPoint(
        clip.name,
        codec,
        target,
        status,
        knob,
        n(),
        clip.width,
        clip.height,
        clip.seconds(),
        e.bytes(),
        e.psnr(),
        e.msssim(),
        e.encodeS(),
        e.decodeS(),
        e.keyFrames(),
        e.keyBytes(),
        e.predictedBytes());
  }

  private void logPoint(VideoPoint p) {
    log.printf(
        Locale.ROOT,
        "  %s %s %s: %.1f kbit/s (%.4f bpp)%s, PSNR %.2f dB, MS-SSIM %.4f, encode %.1f s, decode %.1f s%n",
        p.clip(),
        p.codec(),
        Csv.format(p.knob(), 2),
        p.kbps(),
        p.bpp(),
        Double.isNaN(p.targetKbps())
            ? ""
            : String.format(Locale.ROOT, " (target %.1f, %s)", p.targetKbps(), p.status()),
        p.psnr(),
        p.msssim(),
        p.encodeS(),
        p.decodeS());
    log.flush();
  }
}
