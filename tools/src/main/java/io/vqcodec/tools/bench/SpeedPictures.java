package io.vqcodec.tools.bench;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.imageio.ImageIO;

/**
 * The pictures of the speed benchmark ({@code tools/speed.sh}), as PNG: {@code SpeedPictures DIR
 * IMAGE[:WxH]...} writes each image, or its centred {@code W x H} crop, to {@code DIR}. {@code
 * SpeedPictures --pixels IMAGE} prints an image's pixel count.
 */
public final class SpeedPictures {
  private SpeedPictures() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 2 && args[0].equals("--pixels")) {
      BufferedImage img = read(Paths.get(args[1]));
      System.out.println((long) img.getWidth() * img.getHeight());
      return;
    }
    if (args.length < 2) {
      System.err.println("usage: SpeedPictures DIR IMAGE[:WxH]... | SpeedPictures --pixels IMAGE");
      System.exit(2);
    }
    Path dir = Files.createDirectories(Paths.get(args[0]));
    for (int i = 1; i < args.length; i++) {
      String[] spec = args[i].split(":");
      Path in = Paths.get(spec[0]);
      BufferedImage img = read(in);
      String name = in.getFileName().toString().replaceFirst("\\.[^.]+$", "");
      if (spec.length > 1) {
        String[] wh = spec[1].split("x");
        int w = Integer.parseInt(wh[0]), h = Integer.parseInt(wh[1]);
        if (w > img.getWidth() || h > img.getHeight()) {
          throw new IllegalArgumentException(in + " is smaller than " + spec[1]);
        }
        img = img.getSubimage((img.getWidth() - w) / 2, (img.getHeight() - h) / 2, w, h);
        name += "-" + spec[1];
      }
      BufferedImage rgb =
          new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
      rgb.createGraphics().drawImage(img, 0, 0, null);
      File out = dir.resolve(name + ".png").toFile();
      ImageIO.write(rgb, "png", out);
      System.err.println(out + ": " + rgb.getWidth() + "x" + rgb.getHeight());
    }
  }

  private static BufferedImage read(Path p) throws IOException {
    BufferedImage img = ImageIO.read(p.toFile());
    if (img == null) throw new IOException(p + ": not an image");
    return img;
  }
}
