package io.vqcodec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vqcodec.media.FrameSource;
import io.vqcodec.media.VideoFrame;
import io.vqcodec.neural.Pixels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 16's acceptance: the CLI round-trips every clip of shared/data/video over a short prefix
 * (`--frames`), keeping size, rate and frame count; the containers (mp4, avi), sizes (QCIF to
 * 1280x720) and chroma formats (4:4:4, 4:2:0) are the clips' own.
 */
class RealClipsCliTest {
  static final int FRAMES = 3;

  @TempDir Path dir;

  static List<Path> clips() throws IOException {
    Path video =
        Paths.get(System.getProperty("vqcodec.root", ".."), "..", "shared", "data", "video");
    try (Stream<Path> s = Files.list(video)) {
      return s.filter(p -> !p.getFileName().toString().endsWith(".md")).sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("clips")
  void encodeThenDecodeKeepsSizeRateAndCount(Path clip) throws IOException {
    Path vqc = dir.resolve("clip.vqc"), y4m = dir.resolve("clip.y4m");
    // A key frame, then a predicted or motion frame against it, then one more: both frame kinds.
    VqcodecCliTest.Result e =
        VideoCliTest.run(
            "encode", "--frames", Integer.toString(FRAMES), clip.toString(), vqc.toString());
    assertThat(e.code()).as(e.err()).isZero();
    VqcodecCliTest.Result d = VideoCliTest.run("decode", vqc.toString(), y4m.toString());
    assertThat(d.code()).as(d.err()).isZero();
    try (FrameSource source = FrameSource.open(clip);
        FrameSource back = FrameSource.open(y4m)) {
      assertThat(back.width()).isEqualTo(source.width());
      assertThat(back.height()).isEqualTo(source.height());
      assertThat(back.rateNum()).isEqualTo(source.rateNum());
      assertThat(back.rateDen()).isEqualTo(source.rateDen());
      int n = 0;
      for (VideoFrame f; (f = back.next()) != null; n++) {
        VideoFrame s = source.next();
        // The default quality decodes these clips at 22 to 37 dB (results/video/slice-plan);
        // a frame of another clip, or one shifted or scaled, is far below 15.
        assertThat(Pixels.psnr(s.image(), f.image())).as("frame " + n).isGreaterThan(15.0);
      }
      assertThat(n).isEqualTo(FRAMES);
    }
    VqcodecCliTest.Result i = VideoCliTest.run("info", "--json", vqc.toString());
    assertThat(i.code()).as(i.err()).isZero();
    assertThat(i.out()).contains("\"frames\": " + FRAMES);
  }
}
