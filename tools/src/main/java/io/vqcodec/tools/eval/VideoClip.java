package io.vqcodec.tools.eval;

import io.vqcodec.neural.Pixels;
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The first frames of one clip, converted once to lossless RGB (FFV1, bgr0, in .mkv): the reference
 * every codec codes and every decode is scored against. Frames are read back through FFmpeg as
 * 8-bit RGB (rgb24; a 4:2:0 decode is converted by FFmpeg's default scaler).
 */
final class VideoClip {
  final String name;
  final Path reference;
  final int width, height, rateNum, rateDen;
  final List<BufferedImage> frames;
  final String sha256;

  private VideoClip(
      String name,
      Path reference,
      int width,
      int height,
      int rateNum,
      int rateDen,
      List<BufferedImage> frames,
      String sha256) {
    this.name = name;
    this.reference = reference;
    this.width = width;
    this.height = height;
    this.rateNum = rateNum;
    this.rateDen = rateDen;
    this.frames = frames;
    this.sha256 = sha256;
  }

  /** Converts the first {@code n} frames of {@code clip} into {@code dir} and loads them. */
  static VideoClip prepare(Path clip, int n, Path dir) throws IOException {
    String name = clip.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    Path ref = dir.resolve(name + "-ref.mkv");
    Processes.run(
        List.of(
            "ffmpeg",
            "-hide_banner",
            "-nostdin",
            "-loglevel",
            "error",
            "-y",
            "-i",
            clip.toString(),
            "-frames:v",
            Integer.toString(n),
            "-an",
            "-fps_mode",
            "passthrough",
            "-c:v",
            "ffv1",
            "-pix_fmt",
            "bgr0",
            ref.toString()));
    String probe =
        Processes.output(
                List.of(
                    "ffprobe",
                    "-v",
                    "error",
                    "-select_streams",
                    "v:0",
                    "-show_entries",
                    "stream=width,height,r_frame_rate",
                    "-of",
                    "csv=p=0",
                    ref.toString()))
            .trim();
    String[] f = probe.split(",");
    int w = Integer.parseInt(f[0]), h = Integer.parseInt(f[1]);
    String[] rate = f[2].split("/");
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    List<BufferedImage> frames = new ArrayList<>();
    readFrames(
        ref,
        w,
        h,
        (i, img, raw) -> {
          sha.update(raw);
          frames.add(img);
        });
    return new VideoClip(
        name,
        ref,
        w,
        h,
        Integer.parseInt(rate[0]),
        rate.length > 1 ? Integer.parseInt(rate[1]) : 1,
        List.copyOf(frames),
        HexFormat.of().formatHex(sha.digest()));
  }

  /** Duration of the frames at the clip's rate, seconds. */
  double seconds() {
    return frames.size() * (double) rateDen / rateNum;
  }

  interface FrameSink {
    void frame(int index, BufferedImage image, byte[] rgb) throws IOException;
  }

  /** Reads every frame of a video as 8-bit RGB through FFmpeg. Returns the count. */
  static int readFrames(Path video, int w, int h, FrameSink sink) throws IOException {
    Path err = Files.createTempFile("vqcodec-veval", ".log");
    Process p =
        new ProcessBuilder(
                "ffmpeg",
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-i",
                video.toString(),
                "-fps_mode",
                "passthrough",
                "-f",
                "rawvideo",
                "-pix_fmt",
                "rgb24",
                "-")
            .redirectError(err.toFile())
            .start();
    int n = 0;
    try (InputStream in = p.getInputStream();
        DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in, 1 << 20))) {
      byte[] raw = new byte[w * h * 3];
      while (true) {
        try {
          data.readFully(raw);
        } catch (EOFException e) {
          break;
        }
        sink.frame(n++, toImage(raw, w, h), raw);
      }
      int rc = p.waitFor();
      if (rc != 0) {
        throw new IOException("ffmpeg could not read " + video + ": " + Files.readString(err));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      p.destroy();
      Files.deleteIfExists(err);
    }
    return n;
  }

  static BufferedImage toImage(byte[] rgb, int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    for (int y = 0, i = 0; y < h; y++) {
      for (int x = 0; x < w; x++, i += 3) {
        row[x] = (rgb[i] & 255) << 16 | (rgb[i + 1] & 255) << 8 | (rgb[i + 2] & 255);
      }
      img.setRGB(0, y, w, 1, row, 0, w);
    }
    return img;
  }

  /** Whether {@link Metrics#msssim} is defined at this size (5 scales need 176x176). */
  boolean msssimDefined() {
    return Math.min(width, height) >= 176;
  }

  /** Mean per-frame RGB PSNR and MS-SSIM (NaN where undefined) of a decode of this clip. */
  double[] score(Path decoded) throws IOException {
    double[] sum = new double[2];
    boolean ms = msssimDefined();
    int n =
        readFrames(
            decoded,
            width,
            height,
            (i, img, raw) -> {
              if (i >= frames.size())
                throw new IOException(decoded + ": more frames than the clip");
              sum[0] += Pixels.psnr(frames.get(i), img);
              if (ms) sum[1] += Metrics.msssim(frames.get(i), img);
            });
    if (n != frames.size()) {
      throw new IOException(decoded + ": " + n + " frames, the clip has " + frames.size());
    }
    return new double[] {sum[0] / n, ms ? sum[1] / n : Double.NaN};
  }
}
