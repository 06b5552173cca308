package io.vqcodec.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Frames of a video, one at a time in display order, as 8-bit RGB pictures. Memory does not grow
 * with the clip: each {@link #next} decodes one frame.
 *
 * <pre>{@code
 * try (FrameSource in = FrameSource.open(Path.of("clip.mp4"))) {
 *   for (VideoFrame f; (f = in.next()) != null; ) {
 *     use(f.image());
 *   }
 * }
 * }</pre>
 *
 * <p>Which reader: a file starting with {@code YUV4MPEG2 } is read in pure Java; a folder is read
 * as PNG frames in name order (25 fps); a file name with {@code %} is an FFmpeg image sequence
 * pattern ({@code frame-%06d.png}); anything else goes to FFmpeg (mp4, mkv, avi, webm, mov, ...).
 *
 * <p>Frame rate: the stream's nominal rate as FFmpeg guesses it ({@code av_guess_frame_rate}: the
 * container's rate unless the average is much closer to the truth). With a variable frame rate that
 * is the nominal or average rate; frames are neither dropped nor repeated, and each carries its own
 * presentation timestamp ({@link VideoFrame#timestampMicros}).
 *
 * <p>Pixels: every pixel format is converted to 8-bit RGB, with the colour matrix, range and chroma
 * siting the stream is tagged with (untagged: BT.709 for HD, BT.601 below, limited range). Frames
 * keep the size of the first: a stream that changes size mid-way fails with an IOException.
 * Rotation metadata is ignored.
 *
 * <p>Errors: a missing, unreadable, empty or corrupt input, one without a video stream, or a
 * picture over the pixel limit fails with an IOException whose message is one line naming the
 * input. Damage inside a stream that the decoder conceals is not an error; a container that cannot
 * be read further ends the clip early.
 */
public interface FrameSource extends AutoCloseable {
  /** Default limit on width * height: 2^26, 8192 x 8192. */
  long DEFAULT_MAX_PIXELS = 1L << 26;

  /** Opens {@code input} with the default pixel limit. */
  static FrameSource open(Path input) throws IOException {
    return open(input, DEFAULT_MAX_PIXELS);
  }

  /**
   * Opens {@code input}, refusing pictures of more than {@code maxPixels} pixels before they are
   * allocated.
   *
   * @throws IOException with a one-line message naming {@code input}
   */
  static FrameSource open(Path input, long maxPixels) throws IOException {
    if (maxPixels < 1) throw new IllegalArgumentException("maxPixels " + maxPixels);
    Path name = input.getFileName();
    if (name != null && name.toString().contains("%")) {
      Path dir = input.toAbsolutePath().getParent();
      if (dir == null || !Files.isDirectory(dir)) {
        throw new NoSuchFileException(input.toString(), null, "folder " + dir + " does not exist");
      }
      return FfmpegSource.open(input, input.toAbsolutePath().toString(), maxPixels);
    }
    if (!Files.exists(input)) throw new NoSuchFileException(input.toString(), null, "no such file");
    if (Files.isDirectory(input)) return PngFolderSource.open(input, maxPixels);
    if (!Files.isReadable(input)) throw new IOException(input + ": not readable");
    byte[] head;
    try (InputStream in = Files.newInputStream(input)) {
      head = in.readNBytes(16);
    }
    if (head.length == 0) throw new IOException(input + ": empty file");
    if (Y4mSource.sniff(head)) return Y4mSource.open(input, maxPixels);
    return FfmpegSource.open(input, input.toAbsolutePath().toString(), maxPixels);
  }

  /** Width of every frame, in pixels. */
  int width();

  /** Height of every frame, in pixels. */
  int height();

  /** Numerator of the frame rate in frames per second (30000 of 30000/1001). */
  int rateNum();

  /** Denominator of the frame rate (1001 of 30000/1001). */
  int rateDen();

  /** The frame rate as a number: {@code rateNum() / rateDen()}. */
  default double frameRate() {
    return (double) rateNum() / rateDen();
  }

  /**
   * Frames the container says it holds, -1 when it does not say (Matroska, WebM, image sequences).
   * A damaged file may decode to fewer: {@code tree.avi} indexes 444 and decodes 68.
   */
  long frameCount();

  /** Whether the input also has an audio stream (never decoded here). */
  boolean hasAudio();

  /**
   * The next frame, null after the last.
   *
   * @throws IOException when the input cannot be read further, with a one-line message
   */
  VideoFrame next() throws IOException;

  @Override
  void close() throws IOException;
}
