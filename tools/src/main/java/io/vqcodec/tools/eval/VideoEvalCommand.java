package io.vqcodec.tools.eval;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vqcodec eval --video}: rate-distortion and speed of vqcodec on video clips against x264,
 * x265, libaom-av1 and SVT-AV1 (low delay). Each clip's first frames become a lossless RGB
 * reference; vqcodec codes it at several quality steps, low delay (one key frame) and intra only;
 * each baseline's CRF is bisected to land on vqcodec's low-delay bitrates. Writes {@code
 * points.csv}, {@code run-info.txt}, {@code summary.md} and an RD plot per clip; caches every
 * coding in {@code cache.csv}. See {@code tools/EVAL.md}, section "Video".
 */
@Command(
    name = "eval --video",
    mixinStandardHelpOptions = true,
    description = "Rate-distortion and speed of vqcodec on video against x264, x265 and AV1.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  vqcodec eval --video                   (five clips, 20 frames each)",
      "  vqcodec eval --video --frames 5 --clips ../shared/data/video/tree.avi --out /tmp/v",
      "  vqcodec eval --video --report-only     (redo summary.md and the plots)"
    })
public final class VideoEvalCommand implements Callable<Integer> {
  static final int DEFAULT_FRAMES = 20;
  static final List<String> ALL_CODECS =
      List.of("vqcodec", "vqcodec-intra", "libx264", "libx265", "libaom-av1", "libsvtav1");

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--video", description = "Video evaluation (this command).")
  boolean video;

  @Option(
      names = "--clips",
      arity = "1..*",
      paramLabel = "FILE",
      description = "Clips (default: every file in ../shared/data/video, sorted).")
  List<Path> clips;

  @Option(
      names = "--frames",
      paramLabel = "N",
      description = "First N frames of each clip (default: ${DEFAULT-VALUE}).")
  int frames = DEFAULT_FRAMES;

  @Option(
      names = "--qualities",
      split = ",",
      paramLabel = "Q",
      description = "vqcodec quality steps, low delay (default: 3,5,7,9).")
  List<Integer> qualities = List.of(3, 5, 7, 9);

  @Option(
      names = "--intra-qualities",
      split = ",",
      paramLabel = "Q",
      description = "vqcodec quality steps, intra only (default: 3,5,7).")
  List<Integer> intraQualities = List.of(3, 5, 7);

  @Option(
      names = "--codecs",
      split = ",",
      paramLabel = "NAME",
      description =
          "vqcodec (always run: its bitrates are the targets), vqcodec-intra, libx264, libx265, libaom-av1, libsvtav1 (default: all).")
  List<String> codecs = ALL_CODECS;

  @Option(
      names = "--extend",
      split = ",",
      paramLabel = "X",
      description =
          "Extra baseline targets, as multiples of vqcodec's highest low-delay bitrate, so that a"
              + " baseline that cannot reach vqcodec's low rates still has a curve spanning its"
              + " qualities (default: 1.5,2.25).")
  List<Double> extend = List.of(1.5, 2.25);

  @Option(
      names = "--tolerance",
      paramLabel = "R",
      description =
          "Relative rate tolerance of the bisection for fractional CRFs (default: ${DEFAULT-VALUE}).")
  double tolerance = 0.02;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("results/video/rd");

  @Option(names = "--vqcodec", paramLabel = "PATH", description = "The CLI (default: bin/vqcodec).")
  Path vqcodec = Path.of("bin/vqcodec");

  @Option(
      names = "--no-cache",
      description = "Re-encode everything (cache neither read nor written).")
  boolean noCache;

  @Option(
      names = "--report-only",
      description = "Only regenerate summary.md and the plots from --out's points.csv.")
  boolean reportOnly;

  public static int run(PrintWriter out, PrintWriter err, String... args) {
    System.setProperty("java.awt.headless", "true");
    CommandLine cli = new CommandLine(new VideoEvalCommand());
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getErr();
    Files.createDirectories(out);
    if (reportOnly) {
      VideoReport.regenerate(out);
      log.println("wrote " + out.resolve("summary.md") + " and plots");
      return 0;
    }
    if (frames < 2) throw new CommandLine.ParameterException(spec.commandLine(), "--frames >= 2");
    for (String c : codecs) {
      if (!ALL_CODECS.contains(c)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "unknown codec: " + c);
      }
    }
    List<Path> files = clips != null ? clips : defaultClips();
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--clips: " + f + ": no such file (clips are separated by spaces)");
      }
    }
    long start = System.nanoTime();
    Map<String, String> info = new LinkedHashMap<>();
    info.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    info.put("cpu", EvalCommand.cpuModel());
    info.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    info.put("load at start", loadAverage());
    info.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
    info.put("frames", Integer.toString(frames));
    info.put(
        "clips", String.join(" ", files.stream().map(p -> p.getFileName().toString()).toList()));
    String ffmpeg = Processes.output(List.of("ffmpeg", "-version")).lines().findFirst().orElse("");
    info.put("ffmpeg", ffmpeg);
    String vqConfig = vqcodecVersion();
    info.put("vqcodec", vqConfig);
    info.put(
        "vqcodec settings",
        "bin/vqcodec encode --frames N --quality Q --keyint N (low delay) or --keyint 1 (intra);"
            + " decode to .mkv (FFV1, lossless RGB)");
    for (VideoBaseline b : VideoBaseline.values()) {
      if (codecs.contains(b.codec)) info.put(b.codec, b.describe());
    }
    info.put("tolerance", Csv.format(tolerance, 3));
    info.put(
        "baseline targets",
        "vqcodec's low-delay bitrates, then "
            + String.join(", ", extend.stream().map(x -> Csv.format(x, 2)).toList())
            + " times the highest");
    info.put(
        "command",
        "vqcodec eval --video --frames "
            + frames
            + (qualities.equals(List.of(3, 5, 7, 9))
                ? ""
                : " --qualities "
                    + String.join(",", qualities.stream().map(String::valueOf).toList()))
            + (clips != null
                ? " --clips " + String.join(" ", clips.stream().map(Path::toString).toList())
                : "")
            + " --out "
            + out);
    Path scratch = Files.createTempDirectory("vqcodec-veval");
    List<VideoPoint> points = new ArrayList<>();
    int fresh = 0;
    try (VideoCache cache = new VideoCache(out.resolve("cache.csv"), !noCache)) {
      log.printf(
          Locale.ROOT,
          "eval --video: %d clips, %d frames, codecs %s; %d cached codings%n",
          files.size(),
          frames,
          codecs,
          cache.size());
      for (Path file : files) {
        Path dir = Files.createDirectories(scratch.resolve("clip"));
        VideoClip clip = VideoClip.prepare(file, frames, dir);
        VideoRunner runner = new VideoRunner(clip, dir, cache, vqcodec, vqConfig, ffmpeg, log);
        List<VideoPoint> low = new ArrayList<>();
        for (int q : qualities) low.add(runner.vqcodec(q, false));
        points.addAll(low);
        if (codecs.contains("vqcodec-intra")) {
          for (int q : intraQualities) points.add(runner.vqcodec(q, true));
        }
        for (VideoBaseline b : VideoBaseline.values()) {
          if (!codecs.contains(b.codec)) continue;
          VideoRateSearch search = runner.search(b, tolerance);
          for (double t : targets(low, extend)) points.add(runner.baseline(b, search, t));
        }
        fresh += runner.fresh;
        deleteTree(dir);
        // Partial results survive an interrupted run.
        VideoReport.write(out, points, info);
      }
    } finally {
      deleteTree(scratch);
    }
    info.put("load at end", loadAverage());
    info.put(
        "run time",
        String.format(
            Locale.ROOT,
            "%.1f minutes (%d new codings)",
            (System.nanoTime() - start) / 6e10,
            fresh));
    VideoReport.write(out, points, info);
    log.println("wrote " + out.resolve("summary.md"));
    return 0;
  }

  /** The baselines' targets: vqcodec's low-delay bitrates, then the multiples of the highest. */
  static List<Double> targets(List<VideoPoint> low, List<Double> extend) {
    List<Double> t = new ArrayList<>(low.stream().map(VideoPoint::kbps).toList());
    double top = t.stream().mapToDouble(d -> d).max().orElse(Double.NaN);
    for (double x : extend) t.add(top * x);
    return t;
  }

  static List<Path> defaultClips() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("../shared/data/video"))) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static String loadAverage() {
    return String.format(
        Locale.ROOT,
        "%.2f",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /**
   * The codec's identity for the cache: a hash of what builds the CLI (each codec module's {@code
   * src/main} tree and {@code pom.xml}, the models included, and the root {@code pom.xml}) as
   * committed, plus a hash of uncommitted changes there, if any. Git's tree hashes are
   * content-addressed, so a commit that changes only documentation or tests keeps the cache valid
   * (an earlier key, the last commit touching the modules, did not).
   */
  static String vqcodecVersion() {
    List<String> paths = new ArrayList<>();
    for (String m :
        List.of(
            "cli",
            "encoder",
            "decoder",
            "neural",
            "tokens",
            "entropy",
            "container",
            "media",
            "models")) {
      paths.add(m + "/src/main");
      paths.add(m + "/pom.xml");
    }
    paths.add("pom.xml");
    try {
      // paths from the repository's root, wherever the harness runs
      String top = Processes.output(List.of("git", "rev-parse", "--show-toplevel")).trim();
      List<String> tree = new ArrayList<>(List.of("git", "-C", top, "ls-tree", "HEAD", "--"));
      tree.addAll(paths);
      String listing = Processes.output(tree);
      if (listing.lines().count() != paths.size()) {
        throw new IOException("codec sources missing from HEAD: " + listing);
      }
      String sources = sha256Prefix(listing);
      List<String> diff = new ArrayList<>(List.of("git", "-C", top, "diff", "HEAD", "--"));
      diff.addAll(paths);
      String d = Processes.output(diff);
      String dirty = d.isEmpty() ? "" : " +uncommitted " + sha256Prefix(d);
      return "vqcodec CLI, codec sources " + sources + dirty;
    } catch (Exception e) {
      return "vqcodec CLI, unknown version " + System.nanoTime();
    }
  }

  /** The first 6 bytes of the SHA-256 of {@code s} (UTF-8), in hex. */
  static String sha256Prefix(String s) throws java.security.NoSuchAlgorithmException {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8)),
            0,
            6);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  /** Frame types and bytes from {@code vqcodec info --json}: {key frames, key bytes, others}. */
  static long[] frameBytes(String json) {
    Matcher m = Pattern.compile("\"type\":\\s*\"(\\w+)\",\\s*\"bytes\":\\s*(\\d+)").matcher(json);
    long[] r = new long[3];
    while (m.find()) {
      long b = Long.parseLong(m.group(2));
      if (m.group(1).equals("key")) {
        r[0]++;
        r[1] += b;
      } else {
        r[2] += b;
      }
    }
    return r;
  }
}
