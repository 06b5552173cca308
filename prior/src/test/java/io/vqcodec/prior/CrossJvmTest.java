package io.vqcodec.prior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.tokenizer.TokenGrid;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decoder gives the same indices under Temurin 25 as under the JVM running the tests (Java 17). */
class CrossJvmTest {
  static final Path JAVA25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

  @TempDir Path dir;

  @Test
  void temurin25DecodesTheSameIndices() throws Exception {
    assumeTrue(Files.isExecutable(JAVA25), "no Temurin 25 at " + JAVA25);
    ContextPrior prior = ContextPrior.loadDefault();
    List<String[]> cases = new ArrayList<>();
    int i = 0;
    for (int k : prior.codebookSizes()) {
      GranularityMode mode = GranularityMode.values()[i % 3];
      double ratio = mode == GranularityMode.MIXED ? 0.4 : mode == GranularityMode.ALL_FINE ? 1 : 0;
      TokenGrid g = TestGrids.make(150, 90, k, ratio, 500 + i);
      byte[] p = PriorSliceEncoder.encodeSlice(prior, g, 1, 4, mode);
      Path f = dir.resolve("s" + i + ".bin");
      Files.write(f, p);
      TokenGrid out = new TokenGrid(150, 90, k);
      PriorSliceDecoder.decodeSlice(prior, p, out, 1, 4, mode);
      String here = PriorDecodeCheck.digest(out, 1, 4);
      assertThat(here).isEqualTo(PriorDecodeCheck.digest(g, 1, 4));
      cases.add(new String[] {f.toString(), "" + k, "150", "90", mode.name(), "1", "4", here});
      i++;
    }
    String cp = System.getProperty("java.class.path");
    for (String[] c : cases) {
      List<String> cmd = new ArrayList<>(List.of(JAVA25.toString(), "-cp", cp, PriorDecodeCheck.class.getName()));
      for (int j = 0; j < 7; j++) cmd.add(c[j]);
      Process pr = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(pr.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(pr.exitValue()).isZero();
      assertThat(out).as("K=%s %s under Java 25", c[1], c[4]).isEqualTo(c[7]);
    }
    assertThat(File.pathSeparator).isNotEmpty();
  }
}
