package io.vqcodec.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_FULL_CHR_H_INT;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The clips of shared/data/video against shared/data/MANIFEST.tsv. */
class RealClipsTest {
  /** One MANIFEST.tsv row of a clip. */
  record Clip(String file, int width, int height, int frames, double fps) {}

  static List<Clip> clips() throws IOException {
    Path manifest = Frames.videoDir().resolve("..").resolve("MANIFEST.tsv");
    return Files.readAllLines(manifest).stream()
        .filter(l -> l.startsWith("video/"))
        .map(l -> l.split("\t"))
        .map(
            c ->
                new Clip(
                    c[0].substring("video/".length()),
                    Integer.parseInt(c[1]),
                    Integer.parseInt(c[2]),
                    Integer.parseInt(c[5]),
                    Double.parseDouble(c[6])))
        .toList();
  }

  @Test
  void manifestListsTheFiveClips() throws IOException {
    assertThat(clips())
        .extracting(Clip::file)
        .containsExactlyInAnyOrder(
            "bikes.mp4",
            "carphone_pristine.mp4",
            "cockatoo.mp4",
            "cockatoo_yuv420.mp4",
            "tree.avi");
  }

  @ParameterizedTest
  @MethodSource("clips")
  void sizeRateAndCountMatchTheManifest(Clip clip) throws IOException {
    try (FrameSource in = FrameSource.open(Frames.videoDir().resolve(clip.file()))) {
      assertThat(in.width()).isEqualTo(clip.width());
      assertThat(in.height()).isEqualTo(clip.height());
      assertThat(in.frameRate()).isCloseTo(clip.fps(), within(0.001));
      assertThat(in.hasAudio()).isEqualTo(clip.file().equals("cockatoo.mp4"));
      if (clip.file().startsWith("cockatoo")) {
        // 280 HD frames take seconds to decode: the container's count, and the first frames.
        assertThat(in.frameCount()).isEqualTo(clip.frames());
        for (int i = 0; i < 3; i++) {
          VideoFrame f = in.next();
          assertThat(f.index()).isEqualTo(i);
          assertThat(f.image().getWidth()).isEqualTo(clip.width());
          assertThat(f.timestampMicros()).isEqualTo(i * 50_000L);
        }
        return;
      }
      long n = 0, last = -1;
      for (VideoFrame f; (f = in.next()) != null; n++) {
        assertThat(f.index()).isEqualTo(n);
        assertThat(f.image().getType()).isEqualTo(java.awt.image.BufferedImage.TYPE_INT_RGB);
        assertThat(f.image().getWidth()).isEqualTo(clip.width());
        assertThat(f.image().getHeight()).isEqualTo(clip.height());
        assertThat(f.timestampMicros()).isGreaterThan(last);
        last = f.timestampMicros();
      }
      assertThat(n).as("decoded frames").isEqualTo(clip.frames());
      if (!clip.file().equals("tree.avi")) {
        // tree.avi indexes 444 chunks, most of them empty (SOURCES.md): only 68 decode.
        assertThat(in.frameCount()).isEqualTo(clip.frames());
      }
      assertThat(in.next()).isNull();
    }
  }

  @Test
  void timestampsFollowTheNtscRate() throws IOException {
    try (FrameSource in = FrameSource.open(Frames.videoDir().resolve("carphone_pristine.mp4"))) {
      assertThat(in.rateNum()).isEqualTo(30000);
      assertThat(in.rateDen()).isEqualTo(1001);
      for (int i = 0; i < 10; i++) {
        assertThat(in.next().timestampMicros()).isCloseTo(i * 1_001_000L / 30, within(1L));
      }
    }
  }

  /**
   * The Java conversion of 4:2:0 BT.601 (an SD clip, untagged) against swscale's (accurate
   * rounding, full chroma interpolation): the same matrix, slightly different chroma filters.
   */
  @Test
  void javaConversionAgreesWithSwscale() throws Exception {
    Path clip = Frames.videoDir().resolve("carphone_pristine.mp4");
    try (FrameSource in = FrameSource.open(clip);
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toString())) {
      g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
      // JavaCV's default (fast bilinear) rounding is biased by about one level.
      g.setImageScalingFlags(SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT);
      g.start();
      for (int i = 0; i < 5; i++) {
        var ours = in.next().image();
        Frame f = g.grabImage();
        var ref =
            new java.awt.image.BufferedImage(176, 144, java.awt.image.BufferedImage.TYPE_INT_RGB);
        ByteBuffer b = (ByteBuffer) f.image[0];
        for (int y = 0; y < 144; y++) {
          for (int x = 0; x < 176; x++) {
            int o = y * f.imageStride + 3 * x;
            ref.setRGB(
                x, y, (b.get(o) & 255) << 16 | (b.get(o + 1) & 255) << 8 | b.get(o + 2) & 255);
          }
        }
        assertThat(Frames.psnr(ours, ref)).as("frame %d", i).isGreaterThan(40);
        double[] m = Frames.mean(ours), r = Frames.mean(ref);
        for (int c = 0; c < 3; c++) assertThat(m[c]).isCloseTo(r[c], within(0.25));
      }
    }
  }

  /** The same clip coded 4:4:4 and 4:2:0 decodes to nearly the same pictures. */
  @Test
  void cockatoo444And420Agree() throws IOException {
    Path dir = Frames.videoDir();
    try (FrameSource a = FrameSource.open(dir.resolve("cockatoo.mp4"));
        FrameSource b = FrameSource.open(dir.resolve("cockatoo_yuv420.mp4"))) {
      var fa = a.next().image();
      var fb = b.next().image();
      assertThat(Frames.psnr(fa, fb)).isGreaterThan(30);
      double[] ma = Frames.mean(fa), mb = Frames.mean(fb);
      for (int c = 0; c < 3; c++) assertThat(ma[c]).isCloseTo(mb[c], within(2.0));
    }
  }
}
