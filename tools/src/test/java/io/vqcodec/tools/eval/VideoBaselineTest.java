package io.vqcodec.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baseline path on a 5-frame QCIF prefix: reference, x264 bisection, scoring, cache. */
class VideoBaselineTest {
  static final Path CLIP =
      Path.of(
          System.getProperty("vqcodec.root", ".."),
          "..",
          "shared",
          "data",
          "video",
          "carphone_pristine.mp4");

  @TempDir Path dir;

  private static boolean ffmpeg() {
    try {
      Processes.output(List.of("ffmpeg", "-hide_banner", "-h", "encoder=libx264"));
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void x264IsBisectedToATargetAndScoredOnRgb() throws Exception {
    assumeThat(Files.exists(CLIP) && ffmpeg()).as("clip and ffmpeg with libx264").isTrue();
    VideoClip clip = VideoClip.prepare(CLIP, 5, dir);
    assertThat(clip.frames).hasSize(5);
    assertThat(clip.width).isEqualTo(176);
    assertThat(clip.height).isEqualTo(144);
    assertThat(clip.msssimDefined()).isFalse();

    // The reference scores as lossless against itself.
    assertThat(clip.score(clip.reference)[0]).isInfinite();

    StringWriter log = new StringWriter();
    try (VideoCache cache = new VideoCache(dir.resolve("cache.csv"), true)) {
      VideoRunner runner =
          new VideoRunner(
              clip, dir, cache, Path.of("bin/vqcodec"), "test", "ffmpeg", new PrintWriter(log));
      VideoRateSearch search = runner.search(VideoBaseline.X264, 0.02);
      // A rate x264 reaches on this clip: what CRF 30.3 gives.
      long crf30 = Files.size(write(clip, VideoBaseline.X264, 30.3, dir.resolve("crf30.mp4")));
      double target = 8.0 * crf30 / clip.seconds() / 1000;
      VideoPoint p = runner.baseline(VideoBaseline.X264, search, target);
      assertThat(p.status()).isEqualTo("ok");
      assertThat(Math.abs(p.kbps() / target - 1)).isLessThanOrEqualTo(0.02);
      assertThat(p.psnr()).isBetween(20.0, 60.0);
      assertThat(p.msssim()).isNaN();
      assertThat(p.frames()).isEqualTo(5);
      int coded = runner.fresh;

      // A second search over the same cache codes nothing.
      VideoRunner again =
          new VideoRunner(
              clip, dir, cache, Path.of("bin/vqcodec"), "test", "ffmpeg", new PrintWriter(log));
      VideoPoint q =
          again.baseline(VideoBaseline.X264, again.search(VideoBaseline.X264, 0.02), target);
      assertThat(again.fresh).isZero();
      assertThat(q).isEqualTo(p);
      assertThat(coded).isPositive();
    }
    try (VideoCache reread = new VideoCache(dir.resolve("cache.csv"), true)) {
      assertThat(reread.size()).isPositive();
    }
  }

  private static Path write(VideoClip clip, VideoBaseline b, double crf, Path out)
      throws Exception {
    Processes.run(b.encode(clip.reference, clip.frames.size(), crf, out));
    return out;
  }
}
