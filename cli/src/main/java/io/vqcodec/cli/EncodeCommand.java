package io.vqcodec.cli;

import io.vqcodec.container.ProbabilityModel;
import io.vqcodec.encoder.EncodedPicture;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.GranularityStrategy;
import io.vqcodec.encoder.ImageEncoder;
import io.vqcodec.encoder.VideoEncoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vqcodec encode IN... OUT}. */
@Command(
    name = "encode",
    mixinStandardHelpOptions = true,
    description = {
      "Encodes images (PNG, JPEG, BMP, TIFF, WebP, PNM, GIF; 8-bit RGB or gray, no transparency) as .vqc.",
      "A video (mp4, mkv, avi, webm, mov, y4m, ...: anything FFmpeg reads) becomes a .vqc video; audio is not carried.",
      "With one input, OUT is the output file; with several inputs or a folder, OUT is a folder."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  vqcodec encode photo.png photo.vqc",
      "  vqcodec encode --quality 9 photo.png photo.vqc",
      "  vqcodec encode --bpp 0.08 photo.png photo.vqc",
      "  vqcodec encode --size 4000 photo.png photo.vqc",
      "  vqcodec encode --force pictures/ coded/",
      "  vqcodec encode --keyint 50 clip.mp4 clip.vqc",
      "  vqcodec encode --kbps 200 clip.mp4 clip.vqc",
      "",
      ExitCode.HELP
    })
final class EncodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin Vqcodec.Verbosity verbosity;

  @Parameters(
      arity = "2..*",
      paramLabel = "IN... OUT",
      description = "Input images or folders, then the output.")
  List<Path> paths;

  static final class Rate {
    @Option(
        names = {"-q", "--quality"},
        paramLabel = "Q",
        description =
            "Quality step "
                + EncoderOptions.MIN_QUALITY
                + " (smallest) to "
                + EncoderOptions.MAX_QUALITY
                + " (best); default "
                + EncoderOptions.DEFAULT_QUALITY
                + ".")
    Integer quality;

    @Option(
        names = "--bpp",
        paramLabel = "X",
        description = "Target bits per pixel (whole file); lands at or just under it.")
    Double bpp;

    @Option(
        names = "--size",
        paramLabel = "BYTES",
        description = "Target file size in bytes; lands at or just under it.")
    Long size;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Rate rate;

  @Option(
      names = "--granularity",
      paramLabel = "HOW",
      description =
          "How cells are chosen for fine tokens: rd (rate-distortion, default for pictures), entropy (default for video: rd costs two decoder passes per frame), uniform.")
  String granularity;

  @Option(
      names = "--token-model",
      paramLabel = "MODEL",
      description =
          "The probability model of the tokens (Spec §8.1): two-stage (default; prob_model_id 3),"
              + " context-prior (prob_model_id 2, slower) or order0 (prob_model_id 0, no model"
              + " parameters).")
  String tokenModel;

  @Option(
      names = "--slice-rows",
      paramLabel = "N",
      description =
          "About N cell rows (16 pixels each) per slice, the unit that survives or is lost: the"
              + " rows are shared evenly among round(rows / N) slices. Default: "
              + EncoderOptions.DEFAULT_SLICE_ROWS
              + " rows but at least "
              + EncoderOptions.MIN_SLICE_CELLS
              + " cells a slice (one slice up to 768x512 and 640x272, three at 1280x720).")
  Integer sliceRows;

  @Option(
      names = "--downscale",
      paramLabel = "N",
      description =
          "Code the picture at 1/N of its size (1, 2 or 4; the decoder scales it back up). "
              + "By default --bpp and --size try all three and keep the best, and each --quality step has its own "
              + "(steps 1-2 quarter size, 3-5 half, 6-16 full).")
  Integer downscale;

  @Option(
      names = {"-f", "--force"},
      description = "Overwrite existing outputs.")
  boolean force;

  @Option(
      names = "--fast",
      description =
          "Pictures: code with the tokenizer whose decoder network is faster (tok-v2f: tok-v2's"
              + " tokens, a third less network time to decode and to rank cells; about 0.1 dB lower"
              + " PSNR at the same size). Its streams decode fast without decode --fast.")
  boolean fast;

  @Option(
      names = "--max-pixels",
      paramLabel = "N",
      description =
          "Refuse inputs of more than N pixels, read from the file's header before decoding "
              + "(default: the format's limit, 67108864 = 2^26).")
  long maxPixels = io.vqcodec.container.Limits.MAX_PIXELS;

  @Option(
      names = "--keyint",
      paramLabel = "N",
      defaultValue = "" + VideoEncoder.DEFAULT_KEYINT,
      description =
          "Video: a key frame at least every N frames (1: every frame); default ${DEFAULT-VALUE}. Scene cuts get one too.")
  int keyint;

  @Option(
      names = "--kbps",
      paramLabel = "X",
      description =
          "Video: aim at X kilobits per second over the clip (the --quality step fixes resolution and codebook).")
  Double kbps;

  @Option(
      names = "--frames",
      paramLabel = "N",
      description = "Video: encode only the first N frames.")
  Long frames;

  @Option(
      names = "--motion-range",
      paramLabel = "N",
      defaultValue = "" + VideoEncoder.DEFAULT_MOTION_RANGE,
      description =
          "Video: search motion up to N fine positions (8 pixels each) each way, 0 to 16; 0 codes no"
              + " motion. Default ${DEFAULT-VALUE}.")
  int motionRange;

  @Override
  public Integer call() throws Exception {
    EncoderOptions options = options();
    if (paths.size() == 2 && VideoJobs.isVideoInput(paths.get(0))) {
      if (rate != null && rate.quality == null) {
        throw new CliException(
            ExitCode.USAGE, "--bpp and --size are for pictures: code a video at a --quality step");
      }
      if (keyint < 1)
        throw new CliException(ExitCode.USAGE, "--keyint " + keyint + ": must be >= 1");
      if (kbps != null && !(kbps > 0))
        throw new CliException(ExitCode.USAGE, "--kbps " + kbps + ": must be positive");
      if (frames != null && frames < 1)
        throw new CliException(ExitCode.USAGE, "--frames " + frames + ": must be >= 1");
      if (motionRange < 0 || motionRange > io.vqcodec.tokens.MotionField.MAX_MV)
        throw new CliException(
            ExitCode.USAGE,
            "--motion-range "
                + motionRange
                + ": must be 0 to "
                + io.vqcodec.tokens.MotionField.MAX_MV);
      VideoJobs.encode(
          paths.get(0),
          paths.get(1),
          options,
          keyint,
          motionRange,
          kbps == null ? 0 : kbps,
          frames == null ? Long.MAX_VALUE : frames,
          maxPixels,
          force,
          verbosity.verbose,
          spec.commandLine().getOut(),
          spec.commandLine().getErr());
      return ExitCode.OK;
    }
    if (maxPixels < 1)
      throw new CliException(ExitCode.USAGE, "--max-pixels " + maxPixels + ": must be positive");
    List<Batch.Job> jobs = Batch.plan(paths, "vqc", Images.INPUT_EXTENSIONS);
    for (Batch.Job job : jobs) {
      if (jobs.size() == 1) AtomicOutput.checkWritable(job.output(), force);
    }
    var err = spec.commandLine().getErr();
    var out = spec.commandLine().getOut();
    // The encoder (PyTorch engine, weights) opens on another thread while the first picture is
    // read.
    CompletableFuture<ImageEncoder> opening =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return ImageEncoder.open(pictureModel(fast));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      return Batch.run(
          jobs,
          job -> {
            BufferedImage image =
                Images.read(
                    job.input(), maxPixels, warning -> err.println("vqcodec: warning: " + warning));
            AtomicOutput.checkWritable(job.output(), force);
            ImageEncoder encoder = opened(opening);
            EncodedPicture coded;
            try {
              coded = encoder.encode(image, options);
            } catch (IllegalArgumentException e) {
              throw new CliException(ExitCode.BAD_INPUT, job.input() + ": " + e.getMessage(), e);
            }
            AtomicOutput.write(job.output(), force, os -> os.write(coded.bytes()));
            if (!coded.targetMet()) {
              err.println(
                  "vqcodec: warning: "
                      + job.input()
                      + ": the target is below the smallest stream ("
                      + coded.bytes().length
                      + " bytes); wrote that");
            }
            if (verbosity.verbose || jobs.size() == 1) {
              out.printf(
                  Locale.ROOT,
                  "%s -> %s: %dx%d%s, %d bytes, %.4f bpp, K=%d, %d of %d cells fine%s%n",
                  job.input(),
                  job.output(),
                  coded.width(),
                  coded.height(),
                  coded.resolutionShift() == 0
                      ? ""
                      : " coded at 1/" + (1 << coded.resolutionShift()),
                  coded.bytes().length,
                  coded.bpp(),
                  coded.codebookSize(),
                  coded.fineCells(),
                  coded.cells(),
                  coded.stageTokens() == 0
                      ? ""
                      : ", " + coded.stageTokens() + " residual-stage tokens");
            }
          },
          verbosity.verbose,
          err);
    } finally {
      try {
        opening.join().close();
      } catch (CompletionException e) {
        // never opened: nothing to close (the failure was reported by the job that waited for it)
      }
    }
  }

  /**
   * The tokenizer pictures are coded with: the default, or with {@code --fast} the package the
   * registry names for faster synthesis of the default's tokens (tok-v2f for tok-v2), whose own
   * network then decodes the stream.
   */
  static io.vqcodec.tokens.ModelPackage pictureModel(boolean fast) throws IOException {
    io.vqcodec.tokens.ModelRegistry registry = io.vqcodec.tokens.ModelRegistry.builtIn();
    io.vqcodec.tokens.ModelPackage model = registry.defaultTokenizer();
    return fast ? registry.fasterSynthesis(model).orElse(model) : model;
  }

  /** The encoder {@code opening} opens, waiting for it; its failure as the exception it was. */
  private static ImageEncoder opened(CompletableFuture<ImageEncoder> opening) throws IOException {
    try {
      return opening.join();
    } catch (CompletionException e) {
      Throwable c = e.getCause();
      if (c instanceof UncheckedIOException u) throw u.getCause();
      if (c instanceof RuntimeException r) throw r;
      if (c instanceof Error err) throw err;
      throw new IOException(c);
    }
  }

  private EncoderOptions options() throws CliException {
    GranularityStrategy strategy =
        switch ((granularity != null
                ? granularity
                : paths.size() == 2 && VideoJobs.isVideoInput(paths.get(0)) ? "entropy" : "rd")
            .toLowerCase(Locale.ROOT)) {
          case "rd" -> GranularityStrategy.RATE_DISTORTION;
          case "entropy" -> GranularityStrategy.ENTROPY;
          case "uniform" -> GranularityStrategy.UNIFORM;
          default ->
              throw new CliException(
                  ExitCode.USAGE,
                  "--granularity " + granularity + ": must be rd, entropy or uniform");
        };
    try {
      EncoderOptions o = EncoderOptions.defaults().withStrategy(strategy);
      if (sliceRows != null) o = o.withSliceRows(sliceRows);
      if (tokenModel != null) {
        o =
            o.withProbabilityModel(
                switch (tokenModel) {
                  case "two-stage" -> ProbabilityModel.TWO_STAGE;
                  case "context-prior" -> ProbabilityModel.GAUSSIAN_MIXTURE;
                  case "order0" -> ProbabilityModel.ADAPTIVE_ORDER0;
                  default ->
                      throw new CliException(
                          ExitCode.USAGE,
                          "--token-model "
                              + tokenModel
                              + ": must be two-stage, context-prior or order0");
                });
      }
      if (downscale != null) {
        int shift =
            switch (downscale) {
              case 1 -> 0;
              case 2 -> 1;
              case 4 -> 2;
              default ->
                  throw new CliException(
                      ExitCode.USAGE, "--downscale " + downscale + ": must be 1, 2 or 4");
            };
        o = o.withResolutionShift(shift);
      }
      if (rate == null) return o;
      if (rate.quality != null) return o.withQuality(rate.quality);
      if (rate.bpp != null) return o.withTargetBpp(rate.bpp);
      return o.withTargetBytes(rate.size);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage(), e);
    }
  }
}
