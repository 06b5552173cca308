package io.vqcodec.tools.eval;

import io.vqcodec.container.FrameType;
import io.vqcodec.decoder.VideoDecoder;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.VideoEncoder;
import io.vqcodec.neural.Pixels;
import io.vqcodec.neural.Tokenizer;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Chooses the video encoder's skip tolerance ({@link VideoEncoder#skipTolerance}) and copy
 * tolerance ({@link VideoEncoder#copyTolerance}) on synthetic clips made from the validation
 * photos, so that the evaluation clips are never tuned on.
 *
 * <p>Each validation image gives one 320x240 clip of {@code --frames} frames, its motion chosen by
 * the image's position in the sorted list: a static camera with an object moving over the picture
 * (a 96x80 patch cut from elsewhere in the photo, 3 pixels right and 1 down a frame) and sensor
 * noise; a pan of 2 pixels right and 1 down a frame; a static camera with sensor noise alone; a
 * zoom in by 0.5% a frame about the centre (bilinear); with {@code --motions shake} (not in the
 * default cycle) a hand-held camera: a drift of 1.5 pixels right and 0.5 down and a zoom of 0.3% a
 * frame, each frame offset by Gaussian jitter of 3 pixels. Sensor noise is fresh Gaussian noise of
 * sigma 2 levels in every frame. Every clip is coded with one key frame and then predicted frames
 * at each tolerance and quality step, and as intra frames ({@code --keyint 1}) at the intra quality
 * steps; all are decoded with {@link VideoDecoder} and compared with the synthetic source on RGB.
 *
 * <p>Per clip and tolerance and quality: the predicted frames' bytes against what intra frames cost
 * at the same mean PSNR over the same frames (frame 0, the key frame, left out of both): the
 * cheapest intra cost at that PSNR, interpolated log-linearly between any two intra points that
 * bracket it (the quality steps change resolution, so PSNR is not monotonic in the step). Points
 * outside every bracket are reported and left out of the means.
 *
 * <pre>
 * tools/run.sh io.vqcodec.tools.eval.VideoSkipTuning --val ../shared/data/val --frames 30 \
 *     --tolerances 0.5,1,2,4,8 --qualities 6,7,8 --intra-qualities 4,5,6,7,8,9,10 \
 *     --every 2 --out results/video/skip-tuning
 * </pre>
 *
 * <p>{@code --copy-tolerances a,b,...} codes the predicted streams at each copy tolerance too
 * ({@code Infinity}: no pixel check); {@code --shard K/N} codes only every N-th clip from the K-th,
 * so that N processes share a run (their CSVs together are the run's); {@code --key-slope S}
 * chooses key frames by rate-distortion cost at S dB per doubling of bits ({@link
 * VideoEncoder#keyFrameSlope}) instead of by size.
 *
 * <p>Writes {@code OUT/skip-tuning.csv} (one row per clip and coding) and {@code
 * OUT/skip-tuning.md}.
 */
public final class VideoSkipTuning {
  public static final int WIDTH = 320, HEIGHT = 240;
  static final String[] MOTIONS = {"object", "pan", "static-noise", "zoom"};

  private VideoSkipTuning() {}

  /** One coding of one clip: bytes and mean PSNR over the frames after the first. */
  record Coding(
      String clip,
      String motion,
      String kind,
      double tolerance,
      double copyTolerance,
      int quality,
      long keyBytes,
      long laterBytes,
      double laterPsnr,
      double firstPsnr,
      double lastPsnr,
      double skippedShare) {}

  public static void main(String[] args) throws IOException {
    Path val = Paths.get("../shared/data/val"), out = Paths.get("results/video/skip-tuning");
    int frames = 30, every = 1, shard = 0, shards = 1;
    double[] copyTolerances = {VideoEncoder.DEFAULT_COPY_TOLERANCE};
    double keySlope = Double.NaN; // VideoEncoder.keyFrameSlope: NaN, the size rule
    String[] motions = MOTIONS;
    List<Path> merge = null;
    double[] tolerances = {0.5, 1, 2, 4, 8};
    int[] qualities = {6, 7, 8}, intraQualities = {4, 5, 6, 7, 8, 9, 10};
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--val" -> val = Paths.get(args[++i]);
        case "--frames" -> frames = Integer.parseInt(args[++i]);
        case "--every" -> every = Integer.parseInt(args[++i]);
        case "--shard" -> {
          // K/N: only the clips whose number (in the --every sequence) is K mod N, so that N
          // processes share the work and their CSVs together are one run's.
          String[] kn = args[++i].split("/");
          shard = Integer.parseInt(kn[0]);
          shards = Integer.parseInt(kn[kn.length - 1]);
          if (kn.length != 2 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("--shard " + args[i] + ": must be K/N, 0 <= K < N");
          }
        }
        case "--tolerances" -> tolerances = doubles(args[++i]);
        case "--qualities" -> qualities = ints(args[++i]);
        case "--intra-qualities" -> intraQualities = ints(args[++i]);
        case "--copy-tolerances" -> copyTolerances = doubles(args[++i]);
        case "--key-slope" -> keySlope = Double.parseDouble(args[++i]);
        case "--motions" -> motions = args[++i].split(",");
        case "--out" -> out = Paths.get(args[++i]);
        case "--merge" -> {
          // The shards' CSVs (comma-separated paths) into one report: no coding.
          merge = new ArrayList<>();
          for (String f : args[++i].split(",")) merge.add(Paths.get(f));
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (merge != null) {
      List<Coding> rows = new ArrayList<>();
      for (Path f : merge) rows.addAll(readCsv(f));
      Files.createDirectories(out);
      write(out.resolve("skip-tuning.csv"), csv(rows));
      write(
          out.resolve("skip-tuning.md"),
          report(rows, tolerances, copyTolerances, qualities, frames, every));
      return;
    }
    List<Path> images;
    try (Stream<Path> s = Files.walk(val)) {
      images = s.filter(Files::isRegularFile).sorted().toList();
    }
    List<Coding> rows = new ArrayList<>();
    // The video encoder's own tokenizer (ModelRegistry.defaultVideoTokenizer: tok-v2f since
    // 2026-12-07; the committed results before that date were made with tok-v2), whose decoder
    // the encoder's pixel check of copies runs.
    try (Tokenizer tokenizer = Tokenizer.loadDefaultVideo()) {
      for (int i = 0; i < images.size(); i += every) {
        if ((i / every) % shards != shard) continue;
        BufferedImage photo = ImageIO.read(images.get(i).toFile());
        if (photo == null) continue;
        String motion = motions[(i / every) % motions.length];
        List<BufferedImage> clip = clip(photo, motion, frames, i);
        if (clip == null) {
          System.err.println("skipping " + images.get(i) + ": too small for " + motion);
          continue;
        }
        String name = images.get(i).getFileName().toString().replaceFirst("\\.[^.]*$", "");
        for (int q : intraQualities) {
          rows.add(code(tokenizer, clip, name, motion, "intra", 1, 0, keySlope, q, 1));
        }
        for (int q : qualities) {
          for (double t : tolerances) {
            for (double c : copyTolerances) {
              rows.add(code(tokenizer, clip, name, motion, "predicted", t, c, keySlope, q, frames));
            }
          }
        }
      }
    }
    Files.createDirectories(out);
    write(out.resolve("skip-tuning.csv"), csv(rows));
    write(
        out.resolve("skip-tuning.md"),
        report(rows, tolerances, copyTolerances, qualities, frames, every));
  }

  /** The synthetic clip of {@code motion} over {@code photo}, or null if the photo is too small. */
  public static List<BufferedImage> clip(
      BufferedImage photo, String motion, int frames, long seed) {
    int w = photo.getWidth(), h = photo.getHeight();
    BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g0 = rgb.createGraphics();
    g0.drawImage(photo, 0, 0, null);
    g0.dispose();
    double dx = 0, dy = 0, zoom = 0, jitter = 0;
    switch (motion) {
      case "pan" -> {
        dx = 2;
        dy = 1;
      }
      case "zoom" -> zoom = 0.005;
      case "shake" -> {
        // A hand-held camera: a slow drift and zoom, and a random offset of a few pixels each frame
        dx = 1.5;
        dy = 0.5;
        zoom = 0.003;
        jitter = 3;
      }
      case "static-noise", "object" -> {}
      default -> throw new IllegalArgumentException(motion);
    }
    double spanX = WIDTH + Math.ceil(dx * (frames - 1)) + 2 + 4 * jitter;
    double spanY = HEIGHT + dy * (frames - 1) + 2 + 4 * jitter;
    if (w < spanX || h < spanY) return null;
    double x0 = (w - spanX) / 2 + 1 + 2 * jitter, y0 = (h - spanY) / 2 + 1 + 2 * jitter;
    Random noise = new Random(seed);
    double[] jx = new double[frames], jy = new double[frames];
    for (int t = 0; t < frames; t++) {
      jx[t] = Math.max(-2 * jitter, Math.min(2 * jitter, jitter * noise.nextGaussian()));
      jy[t] = Math.max(-2 * jitter, Math.min(2 * jitter, jitter * noise.nextGaussian()));
    }
    List<BufferedImage> out = new ArrayList<>();
    for (int t = 0; t < frames; t++) {
      BufferedImage f = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = f.createGraphics();
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      AffineTransform at = new AffineTransform();
      double s = 1 + zoom * t;
      // Frame pixel (u, v) shows photo pixel (x0 + dx t + (u - W/2) / s + W/2, ...).
      at.translate(WIDTH / 2.0, HEIGHT / 2.0);
      at.scale(s, s);
      at.translate(-(x0 + dx * t + jx[t] + WIDTH / 2.0), -(y0 + dy * t + jy[t] + HEIGHT / 2.0));
      g.drawImage(rgb, at, null);
      if (motion.equals("object")) {
        // The object: the photo's top-left 96x80 corner, entering from the left third.
        int ox = 40 + 3 * t, oy = 60 + t;
        g.drawImage(rgb.getSubimage(0, 0, 96, 80), ox, oy, null);
      }
      g.dispose();
      if (!motion.equals("pan") && !motion.equals("zoom") && !motion.equals("shake")) {
        for (int y = 0; y < HEIGHT; y++) {
          for (int x = 0; x < WIDTH; x++) {
            int p = f.getRGB(x, y), v = 0;
            for (int c = 16; c >= 0; c -= 8) {
              int n = (int) Math.round(((p >> c) & 255) + 2 * noise.nextGaussian());
              v = (v << 8) | Math.max(0, Math.min(255, n));
            }
            f.setRGB(x, y, v);
          }
        }
      }
      out.add(f);
    }
    return out;
  }

  private static Coding code(
      Tokenizer tokenizer,
      List<BufferedImage> clip,
      String name,
      String motion,
      String kind,
      double tolerance,
      double copyTolerance,
      double keySlope,
      int quality,
      int keyint)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<VideoEncoder.FrameReport> reports = new ArrayList<>();
    try (VideoEncoder enc =
            VideoEncoder.using(tokenizer)
                .skipTolerance(tolerance)
                .copyTolerance(copyTolerance)
                .keyFrameSlope(keySlope);
        VideoEncoder.Session s =
            enc.start(
                bytes,
                WIDTH,
                HEIGHT,
                25,
                1,
                clip.size(),
                EncoderOptions.defaults().withQuality(quality),
                keyint,
                0)) {
      for (BufferedImage f : clip) reports.add(s.add(f));
    }
    double[] psnr = new double[clip.size()];
    try (VideoDecoder d = VideoDecoder.open(new ByteArrayInputStream(bytes.toByteArray()))) {
      int n = 0;
      for (VideoDecoder.Frame f; (f = d.next()) != null; n++) {
        psnr[n] = Pixels.psnr(clip.get(n), f.image());
      }
      if (n != clip.size()) throw new IOException(n + " frames decoded of " + clip.size());
    }
    long key = 0, later = 0, skipped = 0, cells = 0;
    double laterPsnr = 0;
    for (int i = 0; i < reports.size(); i++) {
      VideoEncoder.FrameReport r = reports.get(i);
      if (i == 0) {
        key = r.bytes();
        continue;
      }
      later += r.bytes();
      laterPsnr += psnr[i];
      if (r.type() != FrameType.KEY) skipped += r.skippedCells() + r.motionCells();
      cells += r.cells();
    }
    Coding c =
        new Coding(
            name,
            motion,
            kind,
            kind.equals("intra") ? 0 : tolerance,
            kind.equals("intra") ? 0 : copyTolerance,
            quality,
            key,
            later,
            laterPsnr / (clip.size() - 1),
            psnr[0],
            psnr[clip.size() - 1],
            cells == 0 ? 0 : (double) skipped / cells);
    System.out.printf(
        Locale.ROOT,
        "%s %s %s t=%.2f c=%.2f q=%d: key %d B, later %d B, PSNR %.2f (first %.2f, last %.2f), copied %.0f%%%n",
        name,
        motion,
        kind,
        c.tolerance(),
        c.copyTolerance(),
        quality,
        key,
        later,
        c.laterPsnr(),
        c.firstPsnr(),
        c.lastPsnr(),
        100 * c.skippedShare());
    return c;
  }

  /**
   * The cheapest intra bytes at mean PSNR {@code p} over log-linear interpolation between any two
   * intra points that bracket it; NaN when none does.
   */
  static double intraBytesAt(List<Coding> intra, double p) {
    double best = Double.NaN;
    for (Coding a : intra) {
      for (Coding b : intra) {
        if (a.laterPsnr() > p || b.laterPsnr() < p || a == b) continue;
        double span = b.laterPsnr() - a.laterPsnr();
        double f = span <= 0 ? 0 : (p - a.laterPsnr()) / span;
        double bytes =
            Math.exp(
                Math.log(a.laterBytes())
                    + f * (Math.log(b.laterBytes()) - Math.log(a.laterBytes())));
        if (Double.isNaN(best) || bytes < best) best = bytes;
      }
    }
    return best;
  }

  /** The rows of a CSV that {@link #csv} wrote. */
  static List<Coding> readCsv(Path f) throws IOException {
    List<Coding> rows = new ArrayList<>();
    List<String> lines = Files.readAllLines(f);
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) continue;
      List<String> c = Csv.split(line);
      rows.add(
          new Coding(
              c.get(0),
              c.get(1),
              c.get(2),
              Double.parseDouble(c.get(3)),
              Double.parseDouble(c.get(4)),
              Integer.parseInt(c.get(5)),
              Long.parseLong(c.get(6)),
              Long.parseLong(c.get(7)),
              Double.parseDouble(c.get(8)),
              Double.parseDouble(c.get(9)),
              Double.parseDouble(c.get(10)),
              Double.parseDouble(c.get(11))));
    }
    return rows;
  }

  static String csv(List<Coding> rows) {
    StringBuilder b =
        new StringBuilder(
            "clip,motion,kind,tolerance,copy_tolerance,quality,key_bytes,later_bytes,later_psnr,first_psnr,"
                + "last_psnr,copied_share\n");
    for (Coding c : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%s,%.2f,%.2f,%d,%d,%d,%.3f,%.3f,%.3f,%.3f%n",
              c.clip(),
              c.motion(),
              c.kind(),
              c.tolerance(),
              c.copyTolerance(),
              c.quality(),
              c.keyBytes(),
              c.laterBytes(),
              c.laterPsnr(),
              c.firstPsnr(),
              c.lastPsnr(),
              c.skippedShare()));
    }
    return b.toString();
  }

  private static String report(
      List<Coding> rows,
      double[] tolerances,
      double[] copyTolerances,
      int[] qualities,
      int frames,
      int every) {
    StringBuilder b = new StringBuilder();
    b.append("# Skip and copy tolerances on synthetic clips from the validation photos\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "`VideoSkipTuning`: %s validation image as a %dx%d clip of %d frames (an"
                    + " object moving over a still scene, a pan, a still scene, a zoom, by position;"
                    + " sensor noise on the still ones);"
                    + " predicted frames (frame 0 left out) against intra frames at the same mean"
                    + " PSNR. Ratio = predicted bytes / cheapest interpolated intra bytes at that"
                    + " PSNR; n = points inside the intra range.%n%n",
                every == 1 ? "each" : every == 2 ? "every second" : "every " + every + "th",
                WIDTH,
                HEIGHT,
                frames));
    b.append(
        "| tolerance | copy tolerance | motion | n | mean ratio | mean PSNR loss to intra at same step | mean drift first to last frame dB | copied cells |\n");
    b.append("|---:|---:|---|---:|---:|---:|---:|---:|\n");
    List<String> motions = new ArrayList<>();
    for (String m : List.of("object", "pan", "static-noise", "zoom", "shake")) {
      if (rows.stream().anyMatch(c -> c.motion().equals(m))) motions.add(m);
    }
    motions.add("all");
    for (double t : tolerances) {
      for (double ct : copyTolerances) {
        for (String m : motions) {
          double ratio = 0, loss = 0, drift = 0, copied = 0;
          int n = 0, all = 0;
          for (Coding c : rows) {
            if (!c.kind().equals("predicted") || c.tolerance() != t) continue;
            if (c.copyTolerance() != ct) continue;
            if (!m.equals("all") && !c.motion().equals(m)) continue;
            List<Coding> intra =
                rows.stream()
                    .filter(r -> r.kind().equals("intra") && r.clip().equals(c.clip()))
                    .toList();
            Coding same =
                intra.stream().filter(r -> r.quality() == c.quality()).findFirst().orElse(null);
            all++;
            drift += c.firstPsnr() - c.lastPsnr();
            copied += c.skippedShare();
            if (same != null) loss += same.laterPsnr() - c.laterPsnr();
            double ib = intraBytesAt(intra, c.laterPsnr());
            if (Double.isNaN(ib)) continue;
            ratio += c.laterBytes() / ib;
            n++;
          }
          if (all == 0) continue;
          b.append(
              String.format(
                  Locale.ROOT,
                  "| %.2f | %.2f | %s | %d/%d | %s | %.2f | %.2f | %.0f%% |%n",
                  t,
                  ct,
                  m,
                  n,
                  all,
                  n == 0 ? "-" : String.format(Locale.ROOT, "%.3f", ratio / n),
                  loss / all,
                  drift / all,
                  100 * copied / all));
        }
      }
    }
    return b.toString();
  }

  private static void write(Path f, String text) throws IOException {
    Path tmp = Files.createTempFile(f.toAbsolutePath().getParent(), ".skip", ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static double[] doubles(String s) {
    String[] f = s.split(",");
    double[] v = new double[f.length];
    for (int i = 0; i < f.length; i++) v[i] = Double.parseDouble(f[i]);
    return v;
  }

  private static int[] ints(String s) {
    String[] f = s.split(",");
    int[] v = new int[f.length];
    for (int i = 0; i < f.length; i++) v[i] = Integer.parseInt(f[i]);
    return v;
  }
}
