package io.vqcodec.decoder.conceal;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.imageio.ImageIO;

/** Test pictures from the shared data folder (validation images; never Kodak). */
final class Pictures {
  private Pictures() {}

  static Path data() {
    return Paths.get(System.getProperty("vqcodec.root", ".."), "..", "shared", "data");
  }

  /** chelsea.png of the validation set. */
  static BufferedImage chelsea() throws IOException {
    return ImageIO.read(data().resolve("val/skimage/chelsea.png").toFile());
  }

  /** A 64 x 48 crop of chelsea (4 x 3 cells). */
  static BufferedImage chelseaCrop() throws IOException {
    BufferedImage crop = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    crop.getGraphics().drawImage(chelsea().getSubimage(160, 80, 64, 48), 0, 0, null);
    return crop;
  }
}
