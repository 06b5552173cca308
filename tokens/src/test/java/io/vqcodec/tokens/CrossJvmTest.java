package io.vqcodec.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import io.vqcodec.container.GranularityMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The context prior decodes the same indices in other JVMs as in the one running the tests: always
 * in this JVM's binary with the JIT off ({@code -Xint}, so no compiled code path is involved), and
 * in every other installed JVM ({@code /usr/lib/jvm/}*{@code /bin/java}, or the one named by the
 * system property {@code vqcodec.otherJava}).
 */
class CrossJvmTest {
  @TempDir Path dir;

  /** The JVM commands to compare against: interpreted self, then every other installed JVM. */
  static List<List<String>> jvms() throws IOException {
    Path self = Paths.get(System.getProperty("java.home"), "bin", "java");
    List<List<String>> out = new ArrayList<>();
    out.add(List.of(self.toString(), "-Xint"));
    String named = System.getProperty("vqcodec.otherJava");
    if (named != null) {
      out.add(List.of(named));
      return out;
    }
    Path jvmDir = Paths.get("/usr/lib/jvm");
    if (Files.isDirectory(jvmDir)) {
      try (Stream<Path> s = Files.list(jvmDir)) {
        for (Path home : (Iterable<Path>) s.sorted()::iterator) {
          Path java = home.resolve("bin/java");
          if (Files.isExecutable(java) && !java.toRealPath().equals(self.toRealPath())) {
            out.add(List.of(java.toString()));
          }
        }
      }
    }
    return out;
  }

  @Test
  void otherJvmsDecodeTheSameIndices() throws Exception {
    ContextPrior prior = ModelRegistry.builtIn().byName("tok-v1").orElseThrow().prior();
    List<String[]> cases = new ArrayList<>();
    int i = 0;
    for (int k : prior.codebookSizes()) {
      GranularityMode mode = GranularityMode.values()[i % 3];
      double ratio = mode == GranularityMode.MIXED ? 0.4 : mode == GranularityMode.ALL_FINE ? 1 : 0;
      TokenGrid g = TestGrids.make(150, 90, k, ratio, 500 + i);
      byte[] p = SliceCoder.encode(prior, g, 1, 4, mode);
      Path f = dir.resolve("s" + i + ".bin");
      Files.write(f, p);
      TokenGrid out = new TokenGrid(150, 90, k);
      SliceCoder.decode(prior, p, out, 1, 4, mode);
      String here = PriorDecodeCheck.digest(out, 1, 4);
      assertThat(here).isEqualTo(PriorDecodeCheck.digest(g, 1, 4));
      cases.add(new String[] {f.toString(), "" + k, "150", "90", mode.name(), "1", "4", here});
      i++;
    }
    String cp = System.getProperty("java.class.path");
    List<List<String>> jvms = jvms();
    for (List<String> jvm : jvms) {
      for (String[] c : cases) {
        List<String> cmd = new ArrayList<>(jvm);
        cmd.addAll(List.of("-cp", cp, PriorDecodeCheck.class.getName()));
        for (int j = 0; j < 7; j++) cmd.add(c[j]);
        Process pr = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(pr.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(pr.exitValue()).as("%s exit code", jvm).isZero();
        assertThat(out).as("K=%s %s under %s", c[1], c[4], jvm).isEqualTo(c[7]);
      }
    }
  }
}
