package io.vqcodec.encoder.imageio;

import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.ImageEncoder;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.IOException;
import javax.imageio.IIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.stream.ImageOutputStream;

/**
 * ImageIO writer for .vqc. {@link ImageWriteParam#setCompressionQuality} (0 to 1, in explicit
 * compression mode) picks a step of the encoder's quality ladder: 0 the smallest, 1 the best; the
 * default is the encoder's default step. The model is loaded once per JVM on first use.
 */
final class VqcImageWriter extends javax.imageio.ImageWriter {
  VqcImageWriter(ImageWriterSpi spi) {
    super(spi);
  }

  @Override
  public ImageWriteParam getDefaultWriteParam() {
    return new VqcWriteParam();
  }

  /** Compression type "vqc"; quality 0..1 maps onto the quality ladder. */
  static final class VqcWriteParam extends ImageWriteParam {
    VqcWriteParam() {
      canWriteCompressed = true;
      compressionTypes = new String[] {"vqc"};
      resetToDefault();
    }

    private void resetToDefault() {
      compressionType = "vqc";
      compressionQuality =
          (float) (EncoderOptions.DEFAULT_QUALITY - EncoderOptions.MIN_QUALITY)
              / (EncoderOptions.MAX_QUALITY - EncoderOptions.MIN_QUALITY);
    }

    /**
     * Back to the only compression type and the encoder's default step (as the JPEG writer does).
     */
    @Override
    public void unsetCompression() {
      super.unsetCompression();
      resetToDefault();
    }

    @Override
    public boolean isCompressionLossless() {
      return false;
    }
  }

  @Override
  public IIOMetadata getDefaultStreamMetadata(ImageWriteParam param) {
    return null;
  }

  @Override
  public IIOMetadata getDefaultImageMetadata(ImageTypeSpecifier imageType, ImageWriteParam param) {
    return null;
  }

  @Override
  public IIOMetadata convertStreamMetadata(IIOMetadata inData, ImageWriteParam param) {
    return null;
  }

  @Override
  public IIOMetadata convertImageMetadata(
      IIOMetadata inData, ImageTypeSpecifier imageType, ImageWriteParam param) {
    return null;
  }

  @Override
  public void write(IIOMetadata streamMetadata, IIOImage image, ImageWriteParam param)
      throws IOException {
    if (!(output instanceof ImageOutputStream out)) {
      throw new IllegalStateException("no output: call setOutput with an ImageOutputStream first");
    }
    RenderedImage r = image.getRenderedImage();
    BufferedImage img;
    if (r instanceof BufferedImage b) {
      img = b;
    } else {
      img =
          new BufferedImage(
              r.getColorModel(), r.copyData(null), r.getColorModel().isAlphaPremultiplied(), null);
    }
    EncoderOptions options = EncoderOptions.defaults();
    if (param != null && param.getCompressionMode() == ImageWriteParam.MODE_EXPLICIT) {
      float q = param.getCompressionQuality();
      options =
          options.withQuality(
              EncoderOptions.MIN_QUALITY
                  + Math.round(q * (EncoderOptions.MAX_QUALITY - EncoderOptions.MIN_QUALITY)));
    }
    processImageStarted(0);
    byte[] bytes;
    try {
      bytes = SharedEncoder.get().encode(img, options).bytes();
    } catch (IllegalArgumentException e) {
      throw new IIOException("cannot encode as .vqc: " + e.getMessage(), e);
    }
    out.write(bytes);
    out.flush();
    processImageComplete();
  }

  /** One encoder (one model load) per JVM, made on first use. */
  static final class SharedEncoder {
    private static ImageEncoder instance;

    static synchronized ImageEncoder get() throws IOException {
      if (instance == null) instance = ImageEncoder.open();
      return instance;
    }
  }
}
