package io.vqcodec.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes frames to a video file or a folder of PNGs. The output appears whole on {@link #close} or
 * not at all: frames go to a temporary file or folder beside it ({@code .NAME.PID.RANDOM.tmp}),
 * renamed into place by {@code close}. {@link #abort} and any exception a sink throws delete the
 * temporary output; a caller whose own code fails must call {@code abort} itself, since {@code
 * close} publishes:
 *
 * <pre>{@code
 * try (FrameSink out = FrameSink.create(Path.of("out.y4m"), w, h, 30000, 1001)) {
 *   try {
 *     for (BufferedImage img : frames) out.write(img);
 *   } catch (RuntimeException | IOException e) {
 *     out.abort();
 *     throw e;
 *   }
 * }
 * }</pre>
 *
 * <p>The output kind comes from the name:
 *
 * <table>
 *   <caption>Outputs</caption>
 *   <tr><th>name</th><th>writes</th></tr>
 *   <tr><td>{@code .y4m}</td><td>YUV4MPEG2, pure Java: 8-bit 4:4:4 ({@code C444}), full range,
 *       BT.601; RGB comes back within 1 per channel</td></tr>
 *   <tr><td>{@code .mkv}, {@code .avi}</td><td>FFV1, lossless RGB</td></tr>
 *   <tr><td>{@code .mp4}</td><td>MPEG-4 Part 2, quantiser 2, 4:2:0, BT.709 limited range</td></tr>
 *   <tr><td>{@code .webm}</td><td>VP9, crf 20, 4:2:0, BT.709 limited range</td></tr>
 *   <tr><td>no extension, or an existing folder</td><td>a folder of {@code frame-000001.png},
 *       {@code frame-000002.png}, ... (no frame rate stored)</td></tr>
 * </table>
 */
public interface FrameSink extends AutoCloseable {
  /** Creates a sink that refuses to replace an existing output. */
  static FrameSink create(Path output, int width, int height, int rateNum, int rateDen)
      throws IOException {
    return create(output, width, height, rateNum, rateDen, false);
  }

  /**
   * Creates a sink for frames of {@code width} x {@code height} at {@code rateNum / rateDen} frames
   * per second.
   *
   * @param overwrite replace an existing output; a folder is replaced only if it holds nothing but
   *     {@code frame-NNNNNN.png} files
   * @throws IllegalArgumentException for a size or rate that is not positive, or a size over {@link
   *     FrameSource#DEFAULT_MAX_PIXELS}
   * @throws IOException with a one-line message: the output exists (without {@code overwrite}), its
   *     folder is missing or not writable, or its extension is not one of the above
   */
  static FrameSink create(
      Path output, int width, int height, int rateNum, int rateDen, boolean overwrite)
      throws IOException {
    if (width < 1 || height < 1 || (long) width * height > FrameSource.DEFAULT_MAX_PIXELS) {
      throw new IllegalArgumentException("frame size " + width + "x" + height);
    }
    if (rateNum < 1 || rateDen < 1) {
      throw new IllegalArgumentException("frame rate " + rateNum + "/" + rateDen);
    }
    Path name = output.getFileName();
    if (name == null) throw new IOException(output + ": not a file name");
    String n = name.toString();
    int dot = n.lastIndexOf('.');
    String ext = dot <= 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    if (ext.isEmpty() || Files.isDirectory(output)) {
      Path tmp = TempOutput.reserve(output, overwrite, true);
      return new PngFolderSink(output, tmp, overwrite, width, height, rateNum, rateDen);
    }
    FfmpegSink.Preset preset = FfmpegSink.Preset.forExtension(ext);
    if (!ext.equals("y4m") && preset == null) {
      throw new IOException(
          output + ": unknown output type ." + ext + " (y4m, mkv, avi, mp4, webm, or a folder)");
    }
    Path tmp = TempOutput.reserve(output, overwrite, false);
    try {
      return ext.equals("y4m")
          ? new Y4mSink(output, tmp, overwrite, width, height, rateNum, rateDen)
          : new FfmpegSink(output, tmp, overwrite, preset, width, height, rateNum, rateDen);
    } catch (IOException | RuntimeException e) {
      TempOutput.discard(tmp);
      throw e;
    }
  }

  /**
   * Appends a frame. Any picture type is accepted (alpha is dropped).
   *
   * @throws IllegalArgumentException if its size is not the sink's; the sink is then aborted
   * @throws IOException if it cannot be written; the sink is then aborted
   * @throws IllegalStateException after {@link #close} or {@link #abort}
   */
  void write(BufferedImage frame) throws IOException;

  /** Frames written so far. */
  long frameCount();

  /** Discards the output: the temporary file or folder is deleted, nothing is published. */
  void abort();

  /**
   * Completes the output and renames it into place; nothing after {@link #abort} or a failure.
   *
   * @throws IOException if it cannot be completed or renamed (the output then does not appear)
   */
  @Override
  void close() throws IOException;
}
