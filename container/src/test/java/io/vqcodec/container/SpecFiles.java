package io.vqcodec.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates bitstream-spec/ from the system property vqcodec.root (set by the parent pom). */
final class SpecFiles {
  private SpecFiles() {}

  static Path root() {
    String root = System.getProperty("vqcodec.root");
    Path base = root != null ? Path.of(root) : Path.of("..");
    if (!Files.isDirectory(base.resolve("bitstream-spec"))) base = Path.of("..");
    return base.toAbsolutePath().normalize();
  }

  static Path spec() {
    return root().resolve("bitstream-spec");
  }

  static String read(String file) throws IOException {
    return Files.readString(spec().resolve(file), StandardCharsets.UTF_8);
  }

  /** The text between {@code <!-- golden:NAME:begin -->} and its end marker. */
  static String between(String text, String name) {
    String begin = "<!-- golden:" + name + ":begin -->", end = "<!-- golden:" + name + ":end -->";
    int a = text.indexOf(begin), b = text.indexOf(end);
    if (a < 0 || b < a) throw new AssertionError("markers " + name + " not found");
    return text.substring(a + begin.length(), b);
  }
}
