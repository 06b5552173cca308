package io.vqcodec.tools.eval;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * JPEG through {@code javax.imageio} in this JVM (quality = knob / 100, knob 1..100; the writer's
 * defaults: 4:2:0, standard Huffman tables, JFIF header). Always available, so the harness and its
 * test run without any external program. In-process timings exclude process start-up, unlike the
 * others.
 */
final class ImageIoJpegCodec implements EvalCodec {
  @Override
  public String name() {
    return "jpeg-imageio";
  }

  @Override
  public boolean available() {
    return ImageIO.getImageWritersByFormatName("jpeg").hasNext();
  }

  @Override
  public String configuration() {
    return "javax.imageio "
        + writer().getClass().getName()
        + " (Java "
        + Runtime.version().feature()
        + ") quality Q/100; 1 thread";
  }

  @Override
  public int threads() {
    return 1;
  }

  @Override
  public Knob knob() {
    return new Knob(1, 100, true, true, false);
  }

  @Override
  public Coded encodeDecode(SourceImage source, double knob, Path workDir) throws IOException {
    ImageWriter w = writer();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long t0 = System.nanoTime();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      ImageWriteParam p = w.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality((float) (knob / 100));
      w.setOutput(out);
      w.write(null, new IIOImage(source.rgb(), null, null), p);
    } finally {
      w.dispose();
    }
    long t1 = System.nanoTime();
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
    if (decoded == null) throw new IOException("ImageIO could not read its own JPEG");
    decoded = SourceImage.toRgb(decoded);
    long t2 = System.nanoTime();
    return new Coded(bytes.size(), decoded, t1 - t0, t2 - t1);
  }

  private static ImageWriter writer() {
    Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
    if (!it.hasNext()) throw new IllegalStateException("no ImageIO JPEG writer");
    return it.next();
  }
}
