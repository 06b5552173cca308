package io.vqcodec.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Containers written through FFmpeg, read back through FFmpeg. */
class FfmpegSinkTest {
  @TempDir Path dir;

  /**
   * An odd-sized clip keeps its exact size, rate and frame count in every container; FFV1 (mkv,
   * avi) gives the pixels back bit-exact, the lossy defaults within a PSNR bound.
   */
  @ParameterizedTest
  @CsvSource({"clip.mkv, 999", "clip.avi, 999", "clip.mp4, 25", "clip.webm, 28"})
  void oddSizedClipRoundTrips(String name, double minPsnr) throws IOException {
    int w = 33, h = 17, n = 5;
    List<BufferedImage> frames = Frames.clip(w, h, n, 3);
    Path out = dir.resolve(name);
    try (FrameSink sink = FrameSink.create(out, w, h, 30000, 1001)) {
      for (BufferedImage f : frames) sink.write(f);
    }
    try (FrameSource in = FrameSource.open(out)) {
      assertThat(in.width()).isEqualTo(w);
      assertThat(in.height()).isEqualTo(h);
      assertThat(in.frameRate()).isCloseTo(30000 / 1001.0, within(0.01));
      int i = 0;
      for (VideoFrame f; (f = in.next()) != null; i++) {
        // Matroska and WebM keep milliseconds.
        assertThat(f.timestampMicros()).isCloseTo(i * 1_001_000L / 30, within(1000L));
        if (minPsnr > 100) {
          assertThat(Frames.maxDiff(f.image(), frames.get(i))).as("frame %d", i).isZero();
        } else {
          assertThat(Frames.psnr(f.image(), frames.get(i)))
              .as("frame %d", i)
              .isGreaterThan(minPsnr);
        }
      }
      assertThat(i).isEqualTo(n);
    }
  }

  /**
   * The Java reader of decoded planes, one pixel format at a time: FFV1 files written by JavaCV's
   * recorder (its swscale RGB to Y'CbCr is BT.601 limited range, untagged, as the reader assumes
   * below HD). Gray formats are compared with the gray of the source. The synthetic frames carry
   * pixel noise in every channel, so subsampled chroma costs them about 7 dB: 4:4:4 is the tight
   * check of the matrix, the means catch a wrong range or siting. PNG in Matroska brings big-endian
   * samples and a bit-packed format (monob, converted by swscale).
   */
  @ParameterizedTest
  @CsvSource({
    "yuv420p, 31, ffv1",
    "yuv422p, 32, ffv1",
    "yuv444p, 40, ffv1",
    "yuv420p10le, 31, ffv1",
    "yuv444p12le, 40, ffv1",
    "yuv440p, 32, ffv1",
    "gray, 40, ffv1",
    "gray16le, 40, ffv1",
    "bgr0, 999, ffv1",
    "gbrp10le, 999, ffv1",
    "rgb48le, 999, ffv1",
    "yuva420p, 31, ffv1",
    "rgb48be, 999, png",
    "gray16be, 40, png",
    "monob, 10, png"
  })
  void pixelFormatsDecode(String pixFmt, double minPsnr, String codec) throws IOException {
    int w = 64, h = 48;
    int fmt = avutil.av_get_pix_fmt(pixFmt);
    boolean gray = pixFmt.startsWith("gray");
    List<BufferedImage> frames = Frames.clip(w, h, 2, 5);
    Path out = dir.resolve(pixFmt + ".mkv");
    try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toString(), w, h)) {
      r.setFormat("matroska");
      r.setVideoCodecName(codec);
      r.setPixelFormat(fmt);
      r.setFrameRate(25);
      r.start();
      for (BufferedImage f : frames) {
        ByteBuffer b = ByteBuffer.allocate(w * h * 3);
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int p = f.getRGB(x, y);
            b.put((byte) (p >> 16)).put((byte) (p >> 8)).put((byte) p);
          }
        }
        b.flip();
        r.recordImage(w, h, Frame.DEPTH_UBYTE, 3, w * 3, avutil.AV_PIX_FMT_RGB24, b);
      }
      r.stop();
    } catch (FFmpegFrameRecorder.Exception e) {
      throw new IOException(e);
    }
    try (FrameSource in = FrameSource.open(out)) {
      for (BufferedImage src : frames) {
        BufferedImage back = in.next().image();
        BufferedImage ref = gray || pixFmt.equals("monob") ? toGray(src) : src;
        if (pixFmt.equals("monob")) {
          // 1 bit per pixel, bit-packed: swscale's path. Black or white, with the right mean.
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) assertThat(back.getRGB(x, y) & 0xFFFFFF).isIn(0, 0xFFFFFF);
          }
          assertThat(Frames.mean(back)[0]).isCloseTo(Frames.mean(ref)[0], within(25.0));
          continue;
        }
        if (minPsnr > 100) {
          assertThat(Frames.maxDiff(back, ref)).isLessThanOrEqualTo(pixFmt.equals("bgr0") ? 0 : 1);
        } else {
          assertThat(Frames.psnr(back, ref)).isGreaterThan(minPsnr);
          double[] a = Frames.mean(back), b = Frames.mean(ref);
          for (int c = 0; c < 3; c++) assertThat(a[c]).isCloseTo(b[c], within(1.0));
        }
      }
      assertThat(in.next()).isNull();
    }
  }

  /** BT.601 luma of each pixel, rounded, as a gray picture. */
  private static BufferedImage toGray(BufferedImage src) {
    BufferedImage g =
        new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < src.getHeight(); y++) {
      for (int x = 0; x < src.getWidth(); x++) {
        int p = src.getRGB(x, y);
        int l =
            (int)
                Math.round(
                    0.299 * ((p >> 16) & 255) + 0.587 * ((p >> 8) & 255) + 0.114 * (p & 255));
        g.setRGB(x, y, l << 16 | l << 8 | l);
      }
    }
    return g;
  }
}
