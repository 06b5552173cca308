package io.vqcodec.encoder.imageio;

import java.util.Locale;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.stream.ImageOutputStream;

/**
 * Registers the .vqc writer with ImageIO (through {@code META-INF/services}): {@code
 * ImageIO.write(image, "vqc", file)} works with this jar on the class path.
 */
public final class VqcImageWriterSpi extends ImageWriterSpi {
  public VqcImageWriterSpi() {
    super(
        "vqcodec",
        "0.1",
        new String[] {"vqc", "VQC"},
        new String[] {"vqc"},
        new String[] {"image/x-vqc"},
        VqcImageWriter.class.getName(),
        new Class<?>[] {ImageOutputStream.class},
        new String[] {"io.vqcodec.decoder.imageio.VqcImageReaderSpi"},
        false,
        null,
        null,
        null,
        null,
        false,
        null,
        null,
        null,
        null);
  }

  /** Any image without an alpha channel (8-bit RGB and gray natively; others are converted). */
  @Override
  public boolean canEncodeImage(ImageTypeSpecifier type) {
    return !type.getColorModel().hasAlpha();
  }

  @Override
  public ImageWriter createWriterInstance(Object extension) {
    return new VqcImageWriter(this);
  }

  @Override
  public String getDescription(Locale locale) {
    return "vqcodec learned image codec (.vqc)";
  }
}
