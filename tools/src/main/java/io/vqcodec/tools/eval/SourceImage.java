package io.vqcodec.tools.eval;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.imageio.ImageIO;

/**
 * An evaluation image: the original PNG, its 8-bit RGB pixels, a content hash (the cache key) and,
 * on demand, a binary PPM copy for encoders that do not read PNG (cjpeg).
 */
public final class SourceImage {
  private final String name;
  private final Path png;
  private final BufferedImage rgb;
  private final String sha256;
  private final Path scratch;
  private Path ppm;

  private SourceImage(String name, Path png, BufferedImage rgb, String sha256, Path scratch) {
    this.name = name;
    this.png = png;
    this.rgb = rgb;
    this.sha256 = sha256;
    this.scratch = scratch;
  }

  /** Loads {@code png}; {@code scratch} is where the PPM copy goes when asked for. */
  public static SourceImage load(Path png, Path scratch) throws IOException {
    png = png.toAbsolutePath();
    scratch = scratch.toAbsolutePath();
    byte[] bytes = Files.readAllBytes(png);
    BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(bytes));
    if (img == null) throw new IOException("not a readable image: " + png);
    String file = png.getFileName().toString();
    String name = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
    return new SourceImage(name, png, toRgb(img), sha256(bytes), scratch);
  }

  /** File name without extension, e.g. {@code kodim01}. */
  public String name() {
    return name;
  }

  /** The original file (PNG). */
  public Path png() {
    return png;
  }

  /** Pixels as {@link BufferedImage#TYPE_INT_RGB}; callers must not modify them. */
  public BufferedImage rgb() {
    return rgb;
  }

  public int width() {
    return rgb.getWidth();
  }

  public int height() {
    return rgb.getHeight();
  }

  /** SHA-256 of the file's bytes, lower-case hex. */
  public String sha256() {
    return sha256;
  }

  /** A binary PPM (P6, maxval 255) with the same pixels, written on first use. */
  public synchronized Path ppm() throws IOException {
    if (ppm == null) {
      Path p = scratch.resolve(name + ".ppm");
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(p))) {
        out.write(
            ("P6\n" + width() + " " + height() + "\n255\n").getBytes(StandardCharsets.US_ASCII));
        int[] row = new int[width()];
        byte[] line = new byte[3 * width()];
        for (int y = 0; y < height(); y++) {
          rgb.getRGB(0, y, width(), 1, row, 0, width());
          for (int x = 0; x < width(); x++) {
            line[3 * x] = (byte) (row[x] >> 16);
            line[3 * x + 1] = (byte) (row[x] >> 8);
            line[3 * x + 2] = (byte) row[x];
          }
          out.write(line);
        }
      }
      ppm = p;
    }
    return ppm;
  }

  /** Copies any image into an opaque 8-bit {@code TYPE_INT_RGB} image (alpha dropped). */
  static BufferedImage toRgb(BufferedImage img) {
    if (img.getType() == BufferedImage.TYPE_INT_RGB) return img;
    BufferedImage out =
        new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    int w = img.getWidth();
    int[] row = new int[w];
    for (int y = 0; y < img.getHeight(); y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      out.setRGB(0, y, w, 1, row, 0, w);
    }
    return out;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
