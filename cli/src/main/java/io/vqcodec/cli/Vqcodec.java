package io.vqcodec.cli;

import io.vqcodec.container.ContainerReader;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code vqcodec} command: subcommands encode, decode, info. ({@code vqcodec eval}, the
 * evaluation harness, is offline work in the tools module; {@code bin/vqcodec} runs it from there.)
 */
@Command(
    name = "vqcodec",
    mixinStandardHelpOptions = true,
    versionProvider = Vqcodec.Version.class,
    description = "A learned image codec: VQ tokens, a context prior and an arithmetic coder.",
    subcommands = {
      EncodeCommand.class,
      DecodeCommand.class,
      InfoCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  vqcodec encode photo.png photo.vqc",
      "  vqcodec encode --quality 3 photo.png photo.vqc",
      "  vqcodec decode photo.vqc photo-decoded.png",
      "  vqcodec info --json photo.vqc",
      "  vqcodec encode --force pictures/ coded/     (every image in a folder)",
      "  vqcodec eval --help                         (rate-distortion evaluation: tools/EVAL.md)",
      "",
      ExitCode.HELP
    })
public final class Vqcodec {
  /** Shared by every subcommand: show stack traces of failures. */
  static final class Verbosity {
    @Option(
        names = {"-v", "--verbose"},
        description = "On failure, print the full cause (stack trace).")
    boolean verbose;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Vqcodec.class.getPackage().getImplementationVersion();
      return new String[] {"vqcodec " + (v == null ? "(development build)" : v)};
    }
  }

  private Vqcodec() {}

  public static void main(String[] args) {
    if (runsANetwork(args)) {
      // The engine's native start needs no model: it goes first. Then the tokenizer the command
      // will use is opened in the background too, while the command line is parsed and the input
      // read (issue 15; Tokenizer.prefetch).
      Tokenizer.startEngine();
      networkToOpen(args).ifPresent(Tokenizer::prefetch);
    }
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /**
   * Whether the command line is an encode or decode whose inputs exist: its plain arguments, all
   * but the last (the output), name existing files or folders. Only a guess, for speed: a process
   * cannot exit while the engine's native libraries are loading, so an error found early (a
   * mistyped path) would wait for them (measured: 1.1 s instead of 0.5 s). An option whose value
   * follows it as a separate argument makes the guess fail, and the run only loses the head start.
   */
  static boolean runsANetwork(String[] args) {
    if (args.length < 3 || !(args[0].equals("encode") || args[0].equals("decode"))) return false;
    List<String> plain = plainArguments(args);
    if (plain.size() < 2) return false;
    try {
      for (String input : plain.subList(0, plain.size() - 1)) {
        if (!Files.exists(Path.of(input))) return false;
      }
    } catch (InvalidPathException e) {
      return false; // reported by the command
    }
    return true;
  }

  /**
   * The tokenizer a command line that {@link #runsANetwork} will open, if its arguments tell (it
   * does not check that again): an encode of a video (by its extension) the video default, of
   * anything else the picture default; a decode the model its first input's header names (none if
   * that is not a stream this build decodes: the command reports it); with {@code --fast} the
   * package that synthesises the picture default's (encode) or that model's (decode) tokens faster
   * where one is released.
   */
  static Optional<ModelPackage> networkToOpen(String[] args) {
    List<String> plain = plainArguments(args);
    boolean encode = args.length > 0 && args[0].equals("encode");
    if (plain.isEmpty() || !(encode || args[0].equals("decode"))) return Optional.empty();
    try {
      Path first = Path.of(plain.get(0));
      ModelRegistry registry = ModelRegistry.builtIn();
      boolean fast = Arrays.asList(args).contains("--fast");
      if (encode) {
        return Optional.of(
            VideoJobs.isVideoInput(first)
                ? registry.defaultVideoTokenizer()
                : EncodeCommand.pictureModel(fast));
      }
      if (Files.isDirectory(first)) return Optional.of(EncodeCommand.pictureModel(fast));
      try (InputStream in = Files.newInputStream(first)) {
        Optional<ModelPackage> model = registry.find(ContainerReader.open(in).header().model());
        if (fast) {
          return model.map(p -> registry.fasterSynthesis(p).orElse(p));
        }
        return model;
      }
    } catch (InvalidPathException | IOException | UncheckedIOException e) {
      return Optional.empty(); // reported by the command
    }
  }

  private static List<String> plainArguments(String[] args) {
    List<String> plain = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("-")) plain.add(args[i]);
    }
    return plain;
  }

  /** Runs the CLI with the given streams; returns the exit code. Used by tests. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Vqcodec());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          boolean verbose = parseResult.hasMatchedOption("--verbose");
          return report(ex, verbose, cmd.getErr());
        });
    cli.setParameterExceptionHandler(
        (ex, cmdArgs) -> {
          CommandLine cmd = ex.getCommandLine();
          cmd.getErr().println("vqcodec: " + ex.getMessage());
          cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
          return ExitCode.USAGE;
        });
    return cli.execute(args);
  }

  /** One line for the user; the stack trace only with --verbose. */
  static int report(Throwable ex, boolean verbose, PrintWriter err) {
    int code;
    String message;
    if (ex instanceof CliException) {
      code = ((CliException) ex).exitCode();
      message = ex.getMessage();
    } else if (ex instanceof OutOfMemoryError) {
      code = ExitCode.INTERNAL;
      message = "out of memory (raise it with VQCODEC_JAVA_OPTS=-Xmx...)";
    } else {
      code = ExitCode.INTERNAL;
      message = "internal error: " + ex;
    }
    err.println("vqcodec: " + message);
    if (verbose) {
      ex.printStackTrace(err);
    } else if (code == ExitCode.INTERNAL) {
      err.println("Rerun with --verbose for details.");
    }
    err.flush();
    return code;
  }
}
