package io.vqcodec.media;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Writes a folder of PNGs named {@code frame-000001.png}, {@code frame-000002.png}, ... (from 1,
 * six digits and more past 999999, as FFmpeg's {@code frame-%06d.png}). The frame rate is not
 * stored: a folder of PNGs has no place for it.
 */
final class PngFolderSink extends AtomicSink {
  /** The names this sink writes; a folder holding only these may be overwritten. */
  static final Pattern FRAME_NAME = Pattern.compile("frame-\\d{6,}\\.png");

  private final BufferedImage img;

  PngFolderSink(Path target, Path temp, boolean overwrite, int w, int h, int num, int den) {
    super(target, temp, true, overwrite, w, h, num, den);
    img = Rgb.newImage(w, h);
  }

  static String name(long index) {
    return String.format(Locale.ROOT, "frame-%06d.png", index + 1);
  }

  @Override
  void writeFrame(int[] rgb, long index) throws IOException {
    System.arraycopy(rgb, 0, Rgb.pixels(img), 0, rgb.length);
    Path file = temp.resolve(name(index));
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      Png.write(img, out);
    }
  }

  @Override
  void finish() {}

  @Override
  void release() {}
}
