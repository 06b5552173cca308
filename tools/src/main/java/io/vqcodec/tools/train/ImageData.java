package io.vqcodec.tools.train;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Training images decoded once into memory (interleaved 8-bit RGB). Images whose short side exceeds
 * 800 px are stored twice, box-downscaled to a short side drawn from [320, 512) and [512, 800]
 * (seeded), so crops match natural-image statistics rather than 6000-px wallpaper smoothness.
 */
final class ImageData {
  record Img(int w, int h, byte[] rgb) {}

  final List<Img> images = new ArrayList<>();

  static ImageData load(Path dir, Path cache) throws IOException {
    ImageData d = new ImageData();
    if (cache != null && Files.exists(cache)) {
      try (DataInputStream in =
          new DataInputStream(new BufferedInputStream(Files.newInputStream(cache), 1 << 20))) {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
          int w = in.readInt(), h = in.readInt();
          byte[] b = new byte[3 * w * h];
          in.readFully(b);
          d.images.add(new Img(w, h, b));
        }
      }
      return d;
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).filter(ImageData::isImage).sorted().toList();
    }
    Random rnd = new Random(1234);
    for (Path f : files) {
      BufferedImage img;
      try {
        img = ImageIO.read(f.toFile());
      } catch (IOException | RuntimeException e) {
        img = null;
      }
      if (img == null) {
        System.err.println("skipping unreadable " + f);
        continue;
      }
      int shortSide = Math.min(img.getWidth(), img.getHeight());
      if (shortSide > 800) {
        d.images.add(of(downscale(img, 320 + rnd.nextInt(192), shortSide)));
        d.images.add(of(downscale(img, 512 + rnd.nextInt(289), shortSide)));
      } else {
        d.images.add(of(img));
      }
    }
    if (cache != null) {
      Files.createDirectories(cache.getParent());
      // A temp file of its own: two runs started together both build the cache, and a shared
      // temp name let one move the other's file away mid-write.
      Path tmp = Files.createTempFile(cache.getParent(), cache.getFileName().toString(), ".tmp");
      try (DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
        out.writeInt(d.images.size());
        for (Img i : d.images) {
          out.writeInt(i.w);
          out.writeInt(i.h);
          out.write(i.rgb);
        }
      }
      Files.move(tmp, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return d;
  }

  static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase();
    return n.endsWith(".jpg")
        || n.endsWith(".jpeg")
        || n.endsWith(".png")
        || n.endsWith(".tif")
        || n.endsWith(".tiff");
  }

  static Img of(BufferedImage img) {
    int w = img.getWidth(), h = img.getHeight();
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    byte[] b = new byte[3 * w * h];
    for (int i = 0; i < argb.length; i++) {
      b[3 * i] = (byte) (argb[i] >> 16);
      b[3 * i + 1] = (byte) (argb[i] >> 8);
      b[3 * i + 2] = (byte) argb[i];
    }
    return new Img(w, h, b);
  }

  /** Halves with 2x2 box averages while still at least twice the target, then bilinear. */
  static BufferedImage downscale(BufferedImage img, int targetShort, int shortSide) {
    BufferedImage cur = toRgb(img);
    while (Math.min(cur.getWidth(), cur.getHeight()) >= 2 * targetShort) {
      cur = half(cur);
    }
    double s = targetShort / (double) Math.min(cur.getWidth(), cur.getHeight());
    int w = (int) Math.round(cur.getWidth() * s), h = (int) Math.round(cur.getHeight() * s);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(cur, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  static BufferedImage toRgb(BufferedImage img) {
    if (img.getType() == BufferedImage.TYPE_INT_RGB) return img;
    BufferedImage out =
        new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(img, 0, 0, null);
    g.dispose();
    return out;
  }

  static BufferedImage half(BufferedImage img) {
    int w = img.getWidth() / 2, h = img.getHeight() / 2, sw = img.getWidth();
    int[] src = img.getRGB(0, 0, sw, 2 * h, null, 0, sw);
    int[] dst = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int a = src[2 * y * sw + 2 * x], b = src[2 * y * sw + 2 * x + 1];
        int c = src[(2 * y + 1) * sw + 2 * x], d = src[(2 * y + 1) * sw + 2 * x + 1];
        int v = 0;
        for (int s = 0; s <= 16; s += 8) {
          int sum = ((a >> s) & 255) + ((b >> s) & 255) + ((c >> s) & 255) + ((d >> s) & 255);
          v |= ((sum + 2) >> 2) << s;
        }
        dst[y * w + x] = v;
      }
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, w, h, dst, 0, w);
    return out;
  }

  /**
   * Fills planar (n, 3, size, size) floats in [0, 1] with random crops, random horizontal flips.
   */
  void batch(Random rnd, int n, int size, float[] out) {
    int plane = size * size;
    for (int b = 0; b < n; b++) {
      Img im;
      do {
        im = images.get(rnd.nextInt(images.size()));
      } while (im.w < size || im.h < size);
      int x0 = rnd.nextInt(im.w - size + 1), y0 = rnd.nextInt(im.h - size + 1);
      boolean flip = rnd.nextBoolean();
      int base = b * 3 * plane;
      for (int y = 0; y < size; y++) {
        int row = ((y0 + y) * im.w + x0) * 3;
        for (int x = 0; x < size; x++) {
          int sx = flip ? size - 1 - x : x;
          int s = row + 3 * sx;
          int o = base + y * size + x;
          out[o] = (im.rgb[s] & 255) / 255f;
          out[o + plane] = (im.rgb[s + 1] & 255) / 255f;
          out[o + 2 * plane] = (im.rgb[s + 2] & 255) / 255f;
        }
      }
    }
  }
}
