package io.vqcodec.tools.eval;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * A reference codec driven through its encoder and decoder programs: encode the source into {@code
 * workDir/out.EXT}, decode that into a PPM or PNG, read it back. Wall times cover each whole
 * process, start-up included (a few ms, small against 768x512 encodes).
 */
abstract class CommandLineCodec implements EvalCodec {
  private static final long TIMEOUT_S = 600;
  private static final Pattern VERSION = Pattern.compile("v?(\\d+\\.\\d+(?:\\.\\d+)?)");

  private final String encoder;
  private final String decoder;
  protected final int threads;
  private String version;
  private Boolean available;

  CommandLineCodec(String encoder, String decoder, int threads) {
    this.encoder = encoder;
    this.decoder = decoder;
    this.threads = threads;
  }

  /** The command that encodes {@code source} into {@code coded}. */
  abstract List<String> encodeCommand(SourceImage source, double knob, Path coded)
      throws IOException;

  /**
   * The command that decodes {@code coded} into {@code decoded} (whose extension is {@link
   * #decodedExt}).
   */
  abstract List<String> decodeCommand(Path coded, Path decoded);

  /** Extension of the coded file, e.g. {@code "avif"}. */
  abstract String codedExt();

  /** Extension of the decoded file the decoder writes: {@code "ppm"} or {@code "png"}. */
  String decodedExt() {
    return "ppm";
  }

  /** Arguments that make the encoder print its version (on either stream). */
  abstract List<String> versionCommand();

  /** Settings in words, appended to the version in {@link #configuration()}. */
  abstract String settings();

  @Override
  public final synchronized boolean available() {
    if (available == null) {
      available = onPath(encoder) && onPath(decoder);
      if (available) {
        try {
          version = probeVersion();
        } catch (IOException e) {
          available = false;
        }
      }
    }
    return available;
  }

  @Override
  public final String configuration() {
    if (!available()) throw new IllegalStateException(name() + " is not available");
    return encoder + " " + version + " " + settings();
  }

  @Override
  public int threads() {
    return threads;
  }

  /** Why {@link #available()} is false, for the "skipped" message. */
  final String missing() {
    return (onPath(encoder) ? "" : encoder + " ")
        + (onPath(decoder) ? "" : decoder + " ")
        + "not on PATH";
  }

  @Override
  public final Coded encodeDecode(SourceImage source, double knob, Path workDir)
      throws IOException {
    Path coded = workDir.resolve("out." + codedExt());
    Path decoded = workDir.resolve("dec." + decodedExt());
    Files.deleteIfExists(coded);
    Files.deleteIfExists(decoded);
    long encNanos = run(encodeCommand(source, knob, coded), workDir);
    long bytes = Files.size(coded);
    long decNanos = run(decodeCommand(coded, decoded), workDir);
    BufferedImage img = ImageIO.read(decoded.toFile());
    if (img == null) throw new IOException(decoder + " wrote an unreadable " + decoded);
    return new Coded(bytes, SourceImage.toRgb(img), encNanos, decNanos);
  }

  /**
   * Runs a command to completion; returns its wall time in ns; fails with its output on a non-zero
   * exit.
   */
  static long run(List<String> command, Path workDir) throws IOException {
    Path log = workDir.resolve("process.log");
    ProcessBuilder pb =
        Processes.asInstalled(new ProcessBuilder(command))
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    long t0 = System.nanoTime();
    Process p = pb.start();
    try {
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out after " + TIMEOUT_S + " s: " + String.join(" ", command));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
    long nanos = System.nanoTime() - t0;
    if (p.exitValue() != 0) {
      String out = Files.readString(log, StandardCharsets.UTF_8);
      throw new IOException(
          "exit " + p.exitValue() + ": " + String.join(" ", command) + "\n" + out.strip());
    }
    return nanos;
  }

  private String probeVersion() throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(encoder);
    cmd.addAll(versionCommand());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    Matcher m = VERSION.matcher(out);
    if (!m.find()) throw new IOException("no version in: " + out);
    return m.group(1);
  }

  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) return false;
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
    }
    return false;
  }
}
