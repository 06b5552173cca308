package io.vqcodec.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A folder of PNGs, read in pure Java in the natural order of their names ({@code frame-2.png}
 * before {@code frame-10.png}). A folder has no frame rate: 25 fps, FFmpeg's default for image
 * sequences. Every picture must have the size of the first.
 */
final class PngFolderSource implements FrameSource {
  /** FFmpeg's image2 rate when none is given. */
  static final int DEFAULT_RATE = 25;

  private final Path folder;
  private final List<Path> files;
  private final int width;
  private final int height;
  private final long maxPixels;
  private int index;

  private PngFolderSource(Path folder, List<Path> files, int w, int h, long maxPixels) {
    this.folder = folder;
    this.files = files;
    this.width = w;
    this.height = h;
    this.maxPixels = maxPixels;
  }

  static PngFolderSource open(Path folder, long maxPixels) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(folder)) {
      for (Path f : all) {
        if (f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")
            && Files.isRegularFile(f)) {
          files.add(f);
        }
      }
    }
    if (files.isEmpty()) throw new IOException(folder + ": folder holds no PNG");
    files.sort(Comparator.comparing(f -> f.getFileName().toString(), PngFolderSource::natural));
    int[] size = size(files.get(0), maxPixels);
    return new PngFolderSource(folder, files, size[0], size[1], maxPixels);
  }

  /** Width and height from the PNG header, checked against the limit before decoding. */
  private static int[] size(Path file, long maxPixels) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) throw new IOException(file + ": not a PNG");
      ImageReader r = readers.next();
      try {
        r.setInput(in);
        int w = r.getWidth(0), h = r.getHeight(0);
        if ((long) w * h > maxPixels) {
          throw new IOException(
              file
                  + ": picture is "
                  + w
                  + "x"
                  + h
                  + ", over the limit of "
                  + maxPixels
                  + " pixels");
        }
        return new int[] {w, h};
      } finally {
        r.dispose();
      }
    }
  }

  /** Compares names with runs of digits as numbers. */
  static int natural(String a, String b) {
    int i = 0, j = 0;
    while (i < a.length() && j < b.length()) {
      char ca = a.charAt(i), cb = b.charAt(j);
      if (Character.isDigit(ca) && Character.isDigit(cb)) {
        int si = i, sj = j;
        while (i < a.length() && Character.isDigit(a.charAt(i))) i++;
        while (j < b.length() && Character.isDigit(b.charAt(j))) j++;
        String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
        String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
        int c =
            na.length() != nb.length()
                ? Integer.compare(na.length(), nb.length())
                : na.compareTo(nb);
        if (c != 0) return c;
      } else {
        if (ca != cb) return Character.compare(ca, cb);
        i++;
        j++;
      }
    }
    int c = Integer.compare(a.length() - i, b.length() - j);
    return c != 0 ? c : a.compareTo(b);
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public int height() {
    return height;
  }

  @Override
  public int rateNum() {
    return DEFAULT_RATE;
  }

  @Override
  public int rateDen() {
    return 1;
  }

  @Override
  public long frameCount() {
    return files.size();
  }

  @Override
  public boolean hasAudio() {
    return false;
  }

  @Override
  public VideoFrame next() throws IOException {
    if (index >= files.size()) return null;
    Path f = files.get(index);
    int[] size = size(f, maxPixels);
    if (size[0] != width || size[1] != height) {
      throw new IOException(
          f
              + ": picture is "
              + size[0]
              + "x"
              + size[1]
              + ", the first in "
              + folder
              + " is "
              + width
              + "x"
              + height);
    }
    BufferedImage src;
    try {
      src = ImageIO.read(f.toFile());
    } catch (IOException | RuntimeException e) {
      throw new IOException(f + ": cannot read (" + e.getMessage() + ")");
    }
    if (src == null) throw new IOException(f + ": not a PNG");
    BufferedImage img = Rgb.newImage(width, height);
    Rgb.read(src, Rgb.pixels(img));
    long micros = (long) index * 1_000_000L / DEFAULT_RATE;
    return new VideoFrame(index++, micros, img);
  }

  @Override
  public void close() {}
}
