package io.vqcodec.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vqcodec eval --video}'s handling of its arguments (the evaluation itself needs FFmpeg).
 */
class VideoEvalCommandTest {
  @Test
  void theCacheKeyIsAHashOfTheCodecSourcesWhereverTheHarnessRuns() throws Exception {
    String v = VideoEvalCommand.vqcodecVersion();
    org.junit.jupiter.api.Assumptions.assumeFalse(
        v.contains("unknown version"), "not in a git checkout");
    // Surefire runs in tools/: the paths still resolve from the repository's root, and the key
    // names content, not a commit.
    assertThat(v).matches("vqcodec CLI, codec sources [0-9a-f]{12}( \\+uncommitted [0-9a-f]{12})?");
    assertThat(VideoEvalCommand.vqcodecVersion()).isEqualTo(v);
  }

  @Test
  void aMissingClipIsOneLineAndAUsageError(@TempDir Path dir) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    Path missing = dir.resolve("no-such-clip.mp4");
    int code =
        VideoEvalCommand.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "--clips",
            missing.toString(),
            "--out",
            dir.resolve("out").toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("--clips: " + missing + ": no such file")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }
}
