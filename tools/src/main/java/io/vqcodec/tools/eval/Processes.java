package io.vqcodec.tools.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs the external programs of the video harness: wall time, or output, or one clear error. */
final class Processes {
  private Processes() {}

  /**
   * {@code pb} with the environment a user's shell would give the program: without the memory
   * allocator settings that bin/vqcodec sets for its own JVM (bin/malloc-tunables.sh: TCMalloc
   * preloaded, glibc tunables), which every program the harness starts would otherwise inherit, so
   * that the baselines are timed as installed. bin/vqcodec sets them again for vqcodec.
   */
  static ProcessBuilder asInstalled(ProcessBuilder pb) {
    pb.environment().remove("LD_PRELOAD");
    pb.environment().remove("GLIBC_TUNABLES");
    return pb;
  }

  /** Runs {@code cmd}; returns its wall time in seconds; its output goes nowhere. */
  static double run(List<String> cmd) throws IOException {
    Path log = Files.createTempFile("vqcodec-veval", ".log");
    try {
      long t0 = System.nanoTime();
      Process p =
          asInstalled(new ProcessBuilder(cmd))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      int rc = waitFor(p);
      double s = (System.nanoTime() - t0) / 1e9;
      if (rc != 0) throw failure(cmd, rc, Files.readString(log, StandardCharsets.UTF_8));
      return s;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** Runs {@code cmd} and returns its standard output. */
  static String output(List<String> cmd) throws IOException {
    Path err = Files.createTempFile("vqcodec-veval", ".log");
    try {
      Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int rc = waitFor(p);
      if (rc != 0) throw failure(cmd, rc, Files.readString(err, StandardCharsets.UTF_8));
      return out;
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private static int waitFor(Process p) throws IOException {
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static IOException failure(List<String> cmd, int rc, String log) {
    String tail = log.length() > 2000 ? log.substring(log.length() - 2000) : log;
    return new IOException(String.join(" ", cmd) + ": exit " + rc + "\n" + tail.strip());
  }
}
