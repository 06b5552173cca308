package io.vqcodec.cli;

import io.vqcodec.container.FormatException;
import io.vqcodec.decoder.Concealment;
import io.vqcodec.decoder.DecodeOptions;
import io.vqcodec.decoder.DecodedPicture;
import io.vqcodec.decoder.ImageDecoder;
import io.vqcodec.tokens.DecodedTokens;
import io.vqcodec.tokens.LossSimulation;
import io.vqcodec.tokens.PictureTooLargeException;
import io.vqcodec.tokens.SliceReport;
import io.vqcodec.tokens.UnknownModelException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vqcodec decode IN... OUT}. */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description = {
      "Decodes .vqc files to PNG (or BMP, TIFF, JPEG, PNM: chosen by OUT's extension).",
      "With one input, OUT is the output file; with several inputs or a folder, OUT is a folder of PNGs.",
      "Damaged, truncated or dropped slices are reported and concealed; the exit code stays 0.",
      "A .vqc video decodes to .y4m, .mkv (lossless FFV1), .mp4, .webm, .avi, or a folder of PNGs (OUT without extension)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  vqcodec decode photo.vqc photo.png",
      "  vqcodec decode coded/ decoded/",
      "  vqcodec decode clip.vqc clip.y4m",
      "  vqcodec decode --from 12.5 clip.vqc from-12.5s.y4m",
      "  vqcodec decode --simulate-loss 20 --seed 1 photo.vqc photo-20pct-lost.png",
      "  vqcodec decode --no-conceal --simulate-loss 5 --loss-unit slice photo.vqc lost.png",
      "",
      ExitCode.HELP
    })
final class DecodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin Vqcodec.Verbosity verbosity;

  @Parameters(
      arity = "2..*",
      paramLabel = "IN... OUT",
      description = ".vqc files or folders, then the output.")
  List<Path> paths;

  @Option(
      names = {"-f", "--force"},
      description = "Overwrite existing outputs.")
  boolean force;

  @Option(
      names = "--no-conceal",
      description = "Show lost tokens as mid-gray instead of concealing them.")
  boolean noConceal;

  @Option(
      names = "--conceal",
      paramLabel = "HOW",
      defaultValue = "predict",
      description =
          "How lost tokens are concealed: predict (transformer when the model has one, default), neighbours, none (gray cells, as --no-conceal).")
  String conceal;

  @Option(
      names = "--simulate-loss",
      paramLabel = "P",
      description =
          "Testing: discard P percent of the tokens (or slices, see --loss-unit) before reconstruction.")
  Double simulateLoss;

  @Option(
      names = "--loss-unit",
      paramLabel = "UNIT",
      defaultValue = "token",
      description =
          "What --simulate-loss discards: token (random tokens, default), burst (runs of 16 tokens), slice.")
  String lossUnit;

  @Option(
      names = "--max-pixels",
      paramLabel = "N",
      description =
          "Refuse streams of pictures with more than N pixels, from the header before decoding "
              + "(default: the format's limit, 67108864 = 2^26).")
  long maxPixels = io.vqcodec.container.Limits.MAX_PIXELS;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description = "Seed of --simulate-loss; default ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--fast",
      description =
          "Pictures: synthesise the pixels with a faster network trained for the same tokens where"
              + " one is released (tok-v2 streams: tok-v2f's, a third less network time, about 0.1"
              + " dB lower PSNR). The tokens are the stream's; only the pixels differ.")
  boolean fast;

  @Option(
      names = "--from",
      paramLabel = "SECONDS",
      description =
          "Video: start at this time: the decoder seeks to the key frame at or before it through the"
              + " stream's frame index and writes the frames from the one shown at SECONDS on.")
  Double from;

  @Override
  public Integer call() throws Exception {
    DecodeOptions options = options();
    if (from != null && !(from >= 0 && from <= 1e9)) {
      throw new CliException(ExitCode.USAGE, "--from " + from + ": must be 0 to 1e9 seconds");
    }
    if (paths.size() == 2 && VideoJobs.isVideoStream(paths.get(0))) {
      if (options.loss().active()) {
        throw new CliException(ExitCode.USAGE, "--simulate-loss is for pictures");
      }
      VideoJobs.decode(
          paths.get(0),
          paths.get(1),
          from == null ? -1 : Math.round(from * 1e6),
          maxPixels,
          force,
          spec.commandLine().getOut(),
          spec.commandLine().getErr());
      return ExitCode.OK;
    }
    if (from != null) {
      throw new CliException(ExitCode.USAGE, "--from is for a video and one output");
    }
    List<Batch.Job> jobs = Batch.plan(paths, "png", List.of("vqc"));
    if (jobs.size() == 1) {
      AtomicOutput.checkWritable(jobs.get(0).output(), force);
      Images.writerFor(jobs.get(0).output()).dispose();
    }
    PrintWriter err = spec.commandLine().getErr();
    try (ImageDecoder decoder =
        ImageDecoder.open(fast ? ImageDecoder.Synthesis.FAST : ImageDecoder.Synthesis.EXACT)) {
      return Batch.run(
          jobs,
          job -> {
            AtomicOutput.checkWritable(job.output(), force);
            ImageWriter writer = Images.writerFor(job.output());
            DecodedPicture picture = decode(decoder, job.input(), options, err);
            AtomicOutput.write(
                job.output(), force, os -> Images.write(picture.image(), writer, os));
          },
          verbosity.verbose,
          err);
    }
  }

  static DecodedPicture decode(
      ImageDecoder decoder, Path input, DecodeOptions options, PrintWriter err)
      throws CliException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(input))) {
      DecodedPicture picture =
          decoder.decode(
              in,
              options,
              report -> {
                if (report.lost() && report.outcome() != SliceReport.Outcome.SIMULATED_LOSS) {
                  err.printf(
                      Locale.ROOT,
                      "vqcodec: warning: %s: slice %d (pixel rows %d..%d) lost: %s; %s%n",
                      input,
                      report.index(),
                      16 * report.firstRow(),
                      16 * (report.firstRow() + report.rowCount()) - 1,
                      report.detail(),
                      options.concealment() == Concealment.NONE ? "shown gray" : "concealed");
                }
              });
      if (options.loss().active()) {
        DecodedTokens t = picture.tokens();
        err.printf(
            Locale.ROOT,
            "vqcodec: %s: simulated loss: %d of %d tokens lost (%.1f%%), %s%n",
            input,
            t.lostTokens(),
            t.grid().tokenCount(),
            100.0 * t.lostTokens() / Math.max(1, t.grid().tokenCount()),
            switch (options.concealment()) {
              case PREDICT -> "concealed by prediction";
              case NEIGHBOURS -> "concealed from neighbours";
              case NONE -> "shown gray";
            });
      }
      return picture;
    } catch (IOException e) {
      throw streamFailure(input, e);
    }
  }

  /**
   * The one-line refusal for a .vqc input that cannot be decoded: exit 1 (missing, unreadable,
   * corrupt, too large) or 4 (a model this build lacks). Pictures and videos alike.
   */
  static CliException streamFailure(Path input, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new CliException(ExitCode.BAD_INPUT, input + ": no such file", e);
    }
    if (e instanceof UnknownModelException) {
      return new CliException(ExitCode.UNKNOWN_MODEL, input + ": " + e.getMessage(), e);
    }
    if (e instanceof PictureTooLargeException) {
      return new CliException(
          ExitCode.BAD_INPUT, input + ": " + e.getMessage() + " (--max-pixels)", e);
    }
    if (e instanceof FormatException) {
      return new CliException(
          ExitCode.BAD_INPUT, input + ": corrupt or not a .vqc file: " + e.getMessage(), e);
    }
    return new CliException(ExitCode.BAD_INPUT, input + ": cannot read: " + Images.message(e), e);
  }

  private DecodeOptions options() throws CliException {
    Concealment c =
        switch (conceal.toLowerCase(Locale.ROOT)) {
          case "predict" -> Concealment.PREDICT;
          case "neighbours", "neighbors" -> Concealment.NEIGHBOURS;
          case "none" -> Concealment.NONE;
          default ->
              throw new CliException(
                  ExitCode.USAGE, "--conceal " + conceal + ": must be predict, neighbours or none");
        };
    if (noConceal) c = Concealment.NONE;
    if (maxPixels < 1)
      throw new CliException(ExitCode.USAGE, "--max-pixels " + maxPixels + ": must be positive");
    DecodeOptions o = DecodeOptions.defaults().withConcealment(c).withMaxPixels(maxPixels);
    if (simulateLoss == null) return o;
    if (!(simulateLoss >= 0 && simulateLoss <= 100)) {
      throw new CliException(
          ExitCode.USAGE, "--simulate-loss " + simulateLoss + ": must be a percentage, 0 to 100");
    }
    LossSimulation.Unit unit =
        switch (lossUnit.toLowerCase(Locale.ROOT)) {
          case "token" -> LossSimulation.Unit.TOKEN;
          case "burst" -> LossSimulation.Unit.BURST;
          case "slice" -> LossSimulation.Unit.SLICE;
          default ->
              throw new CliException(
                  ExitCode.USAGE, "--loss-unit " + lossUnit + ": must be token, burst or slice");
        };
    return o.withLoss(new LossSimulation(unit, simulateLoss / 100.0, seed));
  }
}
