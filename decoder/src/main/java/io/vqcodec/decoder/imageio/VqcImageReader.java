package io.vqcodec.decoder.imageio;

import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.ContainerReader;
import io.vqcodec.decoder.DecodeOptions;
import io.vqcodec.decoder.DecodedPicture;
import io.vqcodec.decoder.ImageDecoder;
import io.vqcodec.decoder.VideoDecoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * ImageIO reader for .vqc streams: one image per stream, no metadata; of a video (Spec §10) the
 * first frame, a key frame. Width, height and the image type come from the header alone; pixels
 * need the model. Lost slices are concealed; progress is reported per slice of a picture.
 *
 * <p>Limits: {@link #getDefaultReadParam()} is a {@link VqcReadParam}, whose {@code maxPixels}
 * refuses a picture from its header before decoding (default: the system property {@code
 * vqcodec.maxPixels}, else the format's limit). Decoders come from a pool shared by the JVM's
 * readers: a model is loaded once per pooled decoder, and one expensive picture occupies one
 * decoder, never the others (another thread's read takes another decoder).
 */
final class VqcImageReader extends javax.imageio.ImageReader {
  private ContainerHeader header;
  private long start;

  VqcImageReader(ImageReaderSpi spi) {
    super(spi);
  }

  @Override
  public void setInput(Object input, boolean seekForwardOnly, boolean ignoreMetadata) {
    super.setInput(input, seekForwardOnly, ignoreMetadata);
    header = null;
    if (input instanceof ImageInputStream in) {
      try {
        start = in.getStreamPosition();
      } catch (IOException e) {
        start = 0;
      }
    }
  }

  private ImageInputStream stream() {
    if (!(input instanceof ImageInputStream in)) {
      throw new IllegalStateException("no input: call setInput with an ImageInputStream first");
    }
    return in;
  }

  private ContainerHeader header() throws IOException {
    if (header == null) {
      ImageInputStream in = stream();
      in.seek(start);
      try {
        header = ContainerReader.open(new StreamAdapter(in)).header();
      } catch (IOException e) {
        throw new IIOException("not a readable .vqc stream: " + e.getMessage(), e);
      }
    }
    return header;
  }

  private static void checkIndex(int imageIndex) {
    if (imageIndex != 0) throw new IndexOutOfBoundsException("a .vqc stream holds image 0 only");
  }

  @Override
  public int getNumImages(boolean allowSearch) {
    return 1;
  }

  @Override
  public int getWidth(int imageIndex) throws IOException {
    checkIndex(imageIndex);
    return header().picture().width();
  }

  @Override
  public int getHeight(int imageIndex) throws IOException {
    checkIndex(imageIndex);
    return header().picture().height();
  }

  @Override
  public Iterator<ImageTypeSpecifier> getImageTypes(int imageIndex) throws IOException {
    checkIndex(imageIndex);
    int type =
        header().picture().channelFormat() == ChannelFormat.GRAY
            ? BufferedImage.TYPE_BYTE_GRAY
            : BufferedImage.TYPE_INT_RGB;
    return List.of(ImageTypeSpecifier.createFromBufferedImageType(type)).iterator();
  }

  @Override
  public IIOMetadata getStreamMetadata() {
    return null;
  }

  @Override
  public IIOMetadata getImageMetadata(int imageIndex) {
    checkIndex(imageIndex);
    return null;
  }

  @Override
  public BufferedImage read(int imageIndex, ImageReadParam param) throws IOException {
    checkIndex(imageIndex);
    ContainerHeader h = header();
    ImageInputStream in = stream();
    in.seek(start);
    processImageStarted(imageIndex);
    if (h.picture().isVideo()) {
      BufferedImage first = firstFrame(in, param);
      processImageComplete();
      return first;
    }
    int slices = Math.max(1, (h.codedHeight() + 15) / 16);
    long maxPixels =
        param instanceof VqcReadParam v ? v.getMaxPixels() : VqcReadParam.defaultMaxPixels();
    DecodedPicture picture;
    ImageDecoder decoder = DecoderPool.take();
    try {
      picture =
          decoder.decode(
              new StreamAdapter(in),
              DecodeOptions.defaults().withMaxPixels(maxPixels),
              report ->
                  processImageProgress(100f * (report.firstRow() + report.rowCount()) / slices));
    } catch (IOException e) {
      throw new IIOException("cannot decode .vqc stream: " + e.getMessage(), e);
    } finally {
      DecoderPool.give(decoder);
    }
    processImageComplete();
    return picture.image();
  }

  /**
   * The first frame of a video (Spec §10.3: a key frame), decoded by a video decoder of its own
   * (pictures' pooled decoders do not decode videos). Only the first frame's bytes are read.
   *
   * @throws IIOException if the stream is damaged before the first frame or that frame is lost
   */
  private static BufferedImage firstFrame(ImageInputStream in, ImageReadParam param)
      throws IOException {
    long maxPixels =
        param instanceof VqcReadParam v ? v.getMaxPixels() : VqcReadParam.defaultMaxPixels();
    try (VideoDecoder d = VideoDecoder.open(new StreamAdapter(in), maxPixels)) {
      VideoDecoder.Frame f = d.next();
      if (f == null || f.type() == null || f.number() != 0) {
        throw new IIOException(
            "cannot decode .vqc video: its first frame is "
                + (f == null ? "missing" : "lost (Spec §10.7)"));
      }
      return f.image();
    } catch (IIOException e) {
      throw e;
    } catch (IOException e) {
      throw new IIOException("cannot decode .vqc video: " + e.getMessage(), e);
    }
  }

  @Override
  public ImageReadParam getDefaultReadParam() {
    return new VqcReadParam();
  }

  /**
   * The JVM's idle decoders. A read takes one (or opens one when all are busy) and gives it back;
   * at most one idle decoder per processor is kept, the rest are closed.
   */
  static final class DecoderPool {
    private static final Deque<ImageDecoder> IDLE = new ArrayDeque<>();
    private static final int KEEP = Math.max(1, Runtime.getRuntime().availableProcessors());

    static ImageDecoder take() {
      synchronized (IDLE) {
        ImageDecoder d = IDLE.pollFirst();
        if (d != null) return d;
      }
      return ImageDecoder.open();
    }

    static void give(ImageDecoder d) {
      synchronized (IDLE) {
        if (IDLE.size() < KEEP) {
          IDLE.addFirst(d);
          return;
        }
      }
      d.close();
    }
  }

  /** An ImageInputStream seen as an InputStream (the decoder reads front to back). */
  private static final class StreamAdapter extends InputStream {
    private final ImageInputStream in;

    StreamAdapter(ImageInputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return in.read(b, off, len);
    }
  }
}
