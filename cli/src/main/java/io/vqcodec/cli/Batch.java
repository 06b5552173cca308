package io.vqcodec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Maps the positional arguments {@code IN... OUT} of encode and decode to (input, output) pairs and
 * runs them. One input file and a non-directory OUT: OUT is the output file. Otherwise (several
 * inputs, an input folder, or OUT an existing folder) OUT is a folder and each output is named
 * after its input with the new extension; two inputs that would give the same output name (g.png
 * and g.jpg) are refused before any work. An output that is an input is refused. A failing input
 * does not stop the others; the exit code is the first failure's.
 */
final class Batch {
  /** One input and where its output goes. */
  record Job(Path input, Path output) {}

  /** Processes one job; throws CliException for failures the user can act on. */
  interface Step {
    void run(Job job) throws Exception;
  }

  private Batch() {}

  static List<Job> plan(List<Path> args, String outExtension, List<String> inputExtensions)
      throws CliException {
    if (args.size() < 2) {
      throw new CliException(ExitCode.USAGE, "need an input and an output");
    }
    List<Path> inputs = args.subList(0, args.size() - 1);
    Path out = args.get(args.size() - 1);
    for (Path in : inputs) {
      if (!Files.exists(in)) {
        throw new CliException(ExitCode.BAD_INPUT, in + ": no such file or folder");
      }
    }
    boolean single = inputs.size() == 1 && !Files.isDirectory(inputs.get(0));
    if (single && !Files.isDirectory(out)) {
      List<Job> job = checked(List.of(new Job(inputs.get(0), out)));
      if (hasExtension(out, inputExtensions) && !hasExtension(out, List.of(outExtension))) {
        // `encode photo.vqc photo.png` (the two commands mixed up) would write a stream under a
        // picture's name.
        throw new CliException(
            ExitCode.USAGE,
            out
                + ": this command reads such files and does not write them"
                + " (encode writes .vqc streams; decode writes pictures and videos)");
      }
      return job;
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new CliException(
          ExitCode.USAGE, out + ": must be a folder when there are several inputs");
    }
    List<Path> files = new ArrayList<>();
    for (Path in : inputs) {
      if (Files.isDirectory(in)) {
        try (Stream<Path> s = Files.list(in)) {
          s.filter(Files::isRegularFile)
              .filter(p -> hasExtension(p, inputExtensions))
              .sorted()
              .forEach(files::add);
        } catch (IOException e) {
          throw new CliException(
              ExitCode.BAD_INPUT, in + ": cannot list folder: " + e.getMessage(), e);
        }
      } else {
        files.add(in);
      }
    }
    if (files.isEmpty()) {
      throw new CliException(
          ExitCode.BAD_INPUT, "no input files (looked for " + inputExtensions + ")");
    }
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new CliException(ExitCode.OUTPUT, out + ": cannot create folder: " + e.getMessage(), e);
    }
    List<Job> jobs = new ArrayList<>();
    Map<Path, Path> claimed = new HashMap<>();
    for (Path f : files) {
      Path o = out.resolve(replaceExtension(f.getFileName().toString(), outExtension));
      Path first = claimed.putIfAbsent(o.toAbsolutePath().normalize(), f);
      if (first != null) {
        // Refused before any work: a silent overwrite would lose one result.
        throw new CliException(
            ExitCode.OUTPUT,
            first
                + " and "
                + f
                + " would both be written to "
                + o
                + "; code them separately or rename one");
      }
      jobs.add(new Job(f, o));
    }
    return checked(jobs);
  }

  /**
   * Refuses an output that is one of the inputs (under any name): writing it would destroy the
   * input.
   */
  private static List<Job> checked(List<Job> jobs) throws CliException {
    for (Job j : jobs) {
      try {
        if (Files.exists(j.output()) && Files.isSameFile(j.output(), j.input())) {
          throw new CliException(
              ExitCode.OUTPUT,
              j.output() + " is the input " + j.input() + ": refusing to overwrite it");
        }
      } catch (IOException e) {
        throw new CliException(ExitCode.OUTPUT, j.output() + ": " + e.getMessage(), e);
      }
    }
    return jobs;
  }

  /** Runs every job, printing one line per failure; returns the first failure's exit code. */
  static int run(List<Job> jobs, Step step, boolean verbose, PrintWriter err) {
    int exit = ExitCode.OK;
    // A bar only on a terminal: logs and pipes get the per-file lines alone.
    ProgressBar bar =
        jobs.size() > 1 && System.console() != null
            ? new ProgressBarBuilder()
                .setTaskName("vqcodec")
                .setInitialMax(jobs.size())
                .setStyle(ProgressBarStyle.ASCII)
                .continuousUpdate()
                .build()
            : null;
    try {
      for (Job job : jobs) {
        try {
          step.run(job);
        } catch (Throwable e) {
          int code = Vqcodec.report(e, verbose, err);
          if (exit == ExitCode.OK) exit = code;
          if (e instanceof Error && !(e instanceof OutOfMemoryError)) throw (Error) e;
        }
        if (bar != null) bar.step();
      }
    } finally {
      if (bar != null) bar.close();
    }
    return exit;
  }

  static boolean hasExtension(Path p, List<String> extensions) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    for (String e : extensions) {
      if (name.endsWith("." + e)) return true;
    }
    return false;
  }

  static String replaceExtension(String name, String ext) {
    int dot = name.lastIndexOf('.');
    return (dot > 0 ? name.substring(0, dot) : name) + "." + ext;
  }
}
