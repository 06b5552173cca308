package io.vqcodec.tools.eval;

import io.vqcodec.neural.Pixels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vqcodec eval}: rate-distortion and speed of codecs on a folder of PNG images. For every
 * image, codec and target bpp it bisects the codec's knob to the closest file size, scores the
 * decoded image (PSNR, MS-SSIM on RGB; butteraugli and SSIMULACRA for the chosen settings, when
 * libjxl's tools are installed) and writes {@code points.csv}, {@code summary.md} and the RD plots
 * into {@code --out}; every encode is cached there in {@code cache.csv}, every perceptual score in
 * {@code perceptual.csv}. See {@code tools/EVAL.md}.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Rate-distortion and speed of image codecs (default: Kodak, all available codecs).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  vqcodec eval                                   (all available codecs, Kodak, 7 targets)",
      "  vqcodec eval --quick --codecs jpeg-imageio --out /tmp/eval",
      "  vqcodec eval --report-only                     (redo summary.md and plots from points.csv)",
      "  vqcodec eval --video                           (video: see vqcodec eval --video --help)"
    })
public final class EvalCommand implements Callable<Integer> {
  static final List<Double> DEFAULT_TARGETS =
      List.of(0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.25);
  static final List<Double> QUICK_TARGETS = List.of(0.15, 0.25);
  static final int QUICK_IMAGES = 3;

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--images",
      paramLabel = "DIR",
      description = "Folder of PNG images (default: ${DEFAULT-VALUE}).")
  Path images = defaultImages();

  @Option(
      names = "--codecs",
      split = ",",
      paramLabel = "NAME",
      description =
          "Codecs to run: vqcodec, jpeg, webp, avif, jxl, jpeg-imageio; vqcodec-fullsize (no reduced-resolution coding), vqcodec-entropy and vqcodec-uniform (granularity, at full size): ablations, only when named (default: every available one).")
  List<String> codecs;

  @Option(
      names = "--targets",
      split = ",",
      paramLabel = "BPP",
      description =
          "Target rates in bits per pixel (default: 0.01,0.015,0.02,0.03,0.05,0.075,0.1,0.15,0.25; --quick: 0.15,0.25).")
  List<Double> targets;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("results/kodak");

  @Option(
      names = "--quick",
      description = "First " + QUICK_IMAGES + " images and 2 targets (for tests and a smoke run).")
  boolean quick;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Threads for encoders and decoders that take a count (default: ${DEFAULT-VALUE}); cjpeg is always 1.")
  int threads;

  @Option(
      names = "--no-cache",
      description = "Re-encode everything (the cache is neither read nor written).")
  boolean noCache;

  @Option(
      names = "--report-only",
      description = "Only regenerate summary.md and the plots from --out's points.csv.")
  boolean reportOnly;

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the command with the given streams; returns the exit code. Used by tests. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    if (java.util.Arrays.asList(args).contains("--video")) {
      return VideoEvalCommand.run(out, err, args);
    }
    System.setProperty("java.awt.headless", "true");
    CommandLine cli = new CommandLine(new EvalCommand());
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getErr();
    if (threads < 1)
      throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be >= 1");
    Files.createDirectories(out);
    if (reportOnly) {
      EvalReport.regenerate(out);
      log.println("wrote " + out.resolve("summary.md") + " and plots");
      return 0;
    }
    List<Double> tg = targets != null ? targets : quick ? QUICK_TARGETS : DEFAULT_TARGETS;
    tg = tg.stream().sorted().distinct().toList();
    for (double t : tg) {
      if (!(t > 0))
        throw new CommandLine.ParameterException(spec.commandLine(), "targets must be > 0: " + t);
    }
    List<EvalCodec> run = selectCodecs(log);
    if (run.isEmpty()) {
      log.println("eval: no codec available");
      return 1;
    }
    List<Path> files = listImages();
    if (quick) files = files.subList(0, Math.min(QUICK_IMAGES, files.size()));

    PerceptualMetrics metrics = PerceptualMetrics.onPath();
    for (String m : metrics.missing()) log.println("eval: " + m);
    Map<String, String> info = runInfo(files.size(), run);
    info.put("metrics", metrics.identity());
    Path scratch = Files.createTempDirectory("vqcodec-eval");
    List<Point> points = new ArrayList<>();
    int newEncodes = 0, newScores = 0;
    try (ResultCache cache =
        new ResultCache(
            out.resolve("cache.csv"),
            out.resolve("perceptual.csv"),
            metrics.identity(),
            !noCache)) {
      log.printf(
          Locale.ROOT,
          "eval: %d images, %d targets, codecs %s, %d thread(s); %d cached evaluations%n",
          files.size(),
          tg.size(),
          run.stream().map(EvalCodec::name).toList(),
          threads,
          cache.size());
      for (Path file : files) {
        Path work = Files.createDirectories(scratch.resolve("work"));
        SourceImage img = SourceImage.load(file, scratch);
        for (EvalCodec codec : run) {
          long t0 = System.nanoTime();
          int[] fresh = {0};
          // Decoded images of this search's new encodes, so scoring the chosen ones re-runs
          // nothing.
          Map<Double, BufferedImage> decoded = new HashMap<>();
          RateSearch search =
              new RateSearch(
                  codec.knob(),
                  codec.targetsBpp(),
                  k -> {
                    Evaluation e = cache.get(codec, img, k);
                    if (e == null) {
                      EvalCodec.Coded c = codec.encodeDecode(img, k, work);
                      e = evaluate(codec, img, k, c);
                      decoded.put(k, c.decoded());
                      cache.put(codec, img, e);
                      fresh[0]++;
                    }
                    return e;
                  });
          List<RateSearch.Outcome> outcomes = new ArrayList<>();
          for (double t : tg) outcomes.add(search.search(t));
          Scoring scoring = new Scoring(codec, img, work, metrics, cache, decoded, log);
          int reached = 0;
          for (int i = 0; i < tg.size(); i++) {
            RateSearch.Outcome o = outcomes.get(i);
            o = new RateSearch.Outcome(o.reached(), scoring.scored(o.point()));
            points.add(Point.of(img.name(), codec.name(), tg.get(i), o, codec.threads()));
            if (o.reached()) reached++;
          }
          newEncodes += fresh[0];
          newScores += scoring.measured;
          if (fresh[0] > 0 || scoring.measured > 0) {
            log.printf(
                Locale.ROOT,
                "  %s %-12s %d/%d targets reached, %d encodes (%d new), %d scored (%d re-encoded),"
                    + " %.1f s%n",
                img.name(),
                codec.name(),
                reached,
                tg.size(),
                search.seen().size(),
                fresh[0],
                scoring.measured,
                scoring.rerun,
                (System.nanoTime() - t0) / 1e9);
          }
        }
        deleteTree(work);
      }
    } finally {
      deleteTree(scratch);
    }
    Point.write(out.resolve("points.csv"), points);
    EvalReport.writeInfo(out.resolve("run-info.txt"), info);
    EvalReport.regenerate(out); // from the files just written, exactly as --report-only would
    log.println(
        "eval: "
            + newEncodes
            + " new encodes, "
            + newScores
            + " new perceptual scores; wrote "
            + out.resolve("points.csv")
            + ", summary.md and the rd-*.{png,svg} plots");
    return 0;
  }

  /**
   * Perceptual scores of the settings one search chose, each measured once: from the cache, else
   * from the decoded image of a new encode, else by running the codec again (an encode cached
   * before the scores existed). A re-run whose size differs from the cached encode's leaves the
   * scores missing, with a warning, rather than score a different file.
   */
  private static final class Scoring {
    private final EvalCodec codec;
    private final SourceImage img;
    private final Path work;
    private final PerceptualMetrics metrics;
    private final ResultCache cache;
    private final Map<Double, BufferedImage> decoded;
    private final PrintWriter log;
    private final Map<Double, Evaluation> done = new HashMap<>();
    int measured;
    int rerun;

    Scoring(
        EvalCodec codec,
        SourceImage img,
        Path work,
        PerceptualMetrics metrics,
        ResultCache cache,
        Map<Double, BufferedImage> decoded,
        PrintWriter log) {
      this.codec = codec;
      this.img = img;
      this.work = work;
      this.metrics = metrics;
      this.cache = cache;
      this.decoded = decoded;
      this.log = log;
    }

    Evaluation scored(Evaluation e) throws IOException {
      if (!metrics.anyAvailable() || !e.scores().equals(PerceptualMetrics.Scores.MISSING)) return e;
      Evaluation d = done.get(e.knob());
      if (d != null) return d;
      BufferedImage pixels = decoded.get(e.knob());
      if (pixels == null) {
        EvalCodec.Coded c = codec.encodeDecode(img, e.knob(), work);
        rerun++;
        if (c.bytes() != e.bytes()) {
          log.printf(
              Locale.ROOT,
              "eval: WARNING %s %s knob %s: re-encoded to %d bytes, the cache has %d;"
                  + " perceptual scores left missing%n",
              img.name(),
              codec.name(),
              EvalCodec.formatKnob(e.knob()),
              c.bytes(),
              e.bytes());
          done.put(e.knob(), e);
          return e;
        }
        pixels = c.decoded();
      }
      d = e.withScores(metrics.measure(img, pixels, work));
      cache.putScores(codec, img, d);
      measured++;
      done.put(e.knob(), d);
      return d;
    }
  }

  /**
   * Scores one encode/decode of {@code img} (PSNR and MS-SSIM; the perceptual scores come later).
   */
  static Evaluation evaluate(EvalCodec codec, SourceImage img, double knob, EvalCodec.Coded c)
      throws IOException {
    if (c.decoded().getWidth() != img.width() || c.decoded().getHeight() != img.height()) {
      throw new IOException(
          codec.name()
              + " decoded "
              + c.decoded().getWidth()
              + "x"
              + c.decoded().getHeight()
              + " from a "
              + img.width()
              + "x"
              + img.height()
              + " image");
    }
    double bpp = c.bytes() * 8.0 / ((double) img.width() * img.height());
    return new Evaluation(
        knob,
        c.bytes(),
        bpp,
        Pixels.psnr(img.rgb(), c.decoded()),
        Metrics.msssim(img.rgb(), c.decoded()),
        c.encodeNanos() / 1e6,
        c.decodeNanos() / 1e6);
  }

  private List<EvalCodec> selectCodecs(PrintWriter log) {
    List<EvalCodec> chosen = new ArrayList<>();
    if (codecs == null) {
      for (EvalCodec c : Codecs.all(threads)) {
        if (!c.inDefaultRun()) continue;
        if (c.available()) chosen.add(c);
        else log.println("eval: skipping " + c.name() + " (" + Codecs.whyUnavailable(c) + ")");
      }
      return chosen;
    }
    for (String name : codecs) {
      EvalCodec c;
      try {
        c = Codecs.byName(name, threads);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      if (chosen.stream().anyMatch(x -> x.name().equals(c.name()))) continue;
      if (c.available()) chosen.add(c);
      else log.println("eval: skipping " + c.name() + " (" + Codecs.whyUnavailable(c) + ")");
    }
    return chosen;
  }

  private List<Path> listImages() throws IOException {
    if (!Files.isDirectory(images)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "no such folder: " + images);
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(images)) {
      files =
          s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
              .sorted(Comparator.comparing(p -> p.getFileName().toString()))
              .toList();
    }
    if (files.isEmpty())
      throw new CommandLine.ParameterException(spec.commandLine(), "no PNG images in " + images);
    return files;
  }

  private Map<String, String> runInfo(int imageCount, List<EvalCodec> run) {
    Map<String, String> m = new LinkedHashMap<>();
    String folder = images.toAbsolutePath().normalize().getFileName().toString();
    m.put(
        "dataset",
        folder.isEmpty()
            ? "images"
            : folder.substring(0, 1).toUpperCase(Locale.ROOT)
                + folder.substring(1)
                + " ("
                + imageCount
                + " images)");
    m.put(
        "command",
        ("vqcodec eval " + String.join(" ", spec.commandLine().getParseResult().originalArgs()))
            .strip());
    m.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    m.put("cpu", cpuModel());
    m.put("cores", Runtime.getRuntime().availableProcessors() + " available to the JVM");
    m.put(
        "threads",
        threads
            + " per encoder/decoder process where the codec takes a count (see configurations);"
            + " one process at a time");
    m.put(
        "load",
        String.format(
            Locale.ROOT,
            "1-min load average at start %.2f",
            java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage()));
    m.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
    m.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    for (EvalCodec c : run) m.put("codec." + c.name(), c.configuration());
    return m;
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }

  /**
   * {@code ../shared/data/kodak} relative to the project root when known ({@code vqcodec.root}),
   * else to the working directory.
   */
  static Path defaultImages() {
    String root = System.getProperty("vqcodec.root");
    Path base = root == null ? Path.of("") : Path.of(root);
    return base.resolve("../shared/data/kodak").normalize();
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }
}
