package io.vqcodec.decoder.imageio;

import io.vqcodec.container.ContainerReader;
import java.io.IOException;
import java.util.Locale;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * Registers the .vqc reader with ImageIO (through {@code META-INF/services}), so that {@code
 * ImageIO.read(new File("x.vqc"))} works with this jar on the class path. Recognises streams by
 * their magic (Spec §2.2), not by file name.
 */
public final class VqcImageReaderSpi extends ImageReaderSpi {
  public VqcImageReaderSpi() {
    super(
        "vqcodec",
        version(),
        new String[] {"vqc", "VQC"},
        new String[] {"vqc"},
        new String[] {"image/x-vqc"},
        VqcImageReader.class.getName(),
        new Class<?>[] {ImageInputStream.class},
        null,
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

  private static String version() {
    String v = VqcImageReaderSpi.class.getPackage().getImplementationVersion();
    return v == null ? "0.1" : v;
  }

  @Override
  public boolean canDecodeInput(Object source) throws IOException {
    if (!(source instanceof ImageInputStream in)) return false;
    byte[] magic = new byte[8];
    in.mark();
    try {
      int got = 0;
      while (got < magic.length) {
        int n = in.read(magic, got, magic.length - got);
        if (n < 0) return false;
        got += n;
      }
      return ContainerReader.hasMagic(magic);
    } finally {
      in.reset();
    }
  }

  @Override
  public ImageReader createReaderInstance(Object extension) {
    return new VqcImageReader(this);
  }

  @Override
  public String getDescription(Locale locale) {
    return "vqcodec learned image codec (.vqc)";
  }
}
