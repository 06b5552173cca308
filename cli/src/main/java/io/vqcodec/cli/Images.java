package io.vqcodec.cli;

import io.vqcodec.container.Limits;
import io.vqcodec.media.Png;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Consumer;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Reading and writing ordinary image files (ImageIO with the TwelveMonkeys plugins), with errors a
 * user can read.
 */
final class Images {
  /** File extensions that {@code encode} picks up from a folder. */
  static final List<String> INPUT_EXTENSIONS =
      List.of(
          "png", "jpg", "jpeg", "bmp", "tif", "tiff", "webp", "ppm", "pgm", "pnm", "pam", "gif");

  private Images() {}

  /**
   * Reads the first image of {@code file}. Its size is read from the header first and checked
   * against {@code maxPixels} and the format's limits (Spec Annex A) before any pixel is decoded,
   * so a small file claiming a huge picture costs nothing. A file the reader warns about (truncated
   * or damaged data, which ImageIO would otherwise decode in part) is refused. Further frames of an
   * animated image are not coded: {@code warnings} hears about them.
   */
  static BufferedImage read(Path file, long maxPixels, Consumer<String> warnings)
      throws CliException {
    if (!Files.exists(file)) throw new CliException(ExitCode.BAD_INPUT, file + ": no such file");
    if (Files.isDirectory(file)) throw new CliException(ExitCode.BAD_INPUT, file + ": is a folder");
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) throw new CliException(ExitCode.BAD_INPUT, file + ": cannot open");
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new CliException(
            ExitCode.BAD_INPUT,
            file
                + ": not an image format this build reads ("
                + String.join(", ", readableFormats())
                + ")");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, false, true);
        checkSize(file, reader.getWidth(0), reader.getHeight(0), maxPixels);
        if (reader.getFormatName().equalsIgnoreCase("bmp")) refuseEmbeddedImage(file, in);
        List<String> damage = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> damage.add(warning));
        BufferedImage image = reader.read(0);
        if (!damage.isEmpty()) {
          throw new CliException(
              ExitCode.BAD_INPUT,
              file + ": truncated or damaged image data (" + damage.get(0) + ")");
        }
        if (reader.getFormatName().equalsIgnoreCase("gif")) {
          int frames = reader.getNumImages(true);
          if (frames > 1)
            warnings.accept(file + ": animated; coded the first of " + frames + " frames");
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCode.BAD_INPUT, file + ": no such file", e);
    } catch (IOException | RuntimeException e) {
      throw new CliException(ExitCode.BAD_INPUT, file + ": cannot read image: " + message(e), e);
    }
  }

  /**
   * A BMP whose pixels are an embedded JPEG or PNG (compression 4 or 5, meant for printers) is
   * refused: its readers decode the embedded picture at whatever size its own header claims, past
   * the size checked above (a 131-byte file of 12x1 pixels exhausted a 5 GB heap; found by
   * ImageInputFuzzTest).
   */
  private static void refuseEmbeddedImage(Path file, ImageInputStream in)
      throws IOException, CliException {
    long at = in.getStreamPosition();
    try {
      in.seek(14); // BITMAPINFOHEADER: its size (u32), then width, height, planes, bit count
      long headerSize = readU32le(in);
      if (headerSize < 40) return; // OS/2 headers have no compression field
      in.seek(30);
      long compression = readU32le(in);
      if (compression == 4 || compression == 5) {
        throw new CliException(
            ExitCode.BAD_INPUT,
            file
                + ": a BMP holding an embedded "
                + (compression == 4 ? "JPEG" : "PNG")
                + " picture is not supported (convert it to an ordinary BMP, PNG or JPEG)");
      }
    } finally {
      in.seek(at);
    }
  }

  private static long readU32le(ImageInputStream in) throws IOException {
    long v = 0;
    for (int i = 0; i < 4; i++) {
      int b = in.read();
      if (b < 0) throw new IOException("BMP header ends early");
      v |= (long) b << (8 * i);
    }
    return v;
  }

  private static void checkSize(Path file, int w, int h, long maxPixels) throws CliException {
    long pixels = (long) w * h;
    if (w > Limits.MAX_WIDTH || h > Limits.MAX_HEIGHT || pixels > Limits.MAX_PIXELS) {
      throw new CliException(
          ExitCode.BAD_INPUT,
          file
              + ": "
              + w
              + "x"
              + h
              + " is larger than the format "
              + "allows ("
              + Limits.MAX_WIDTH
              + " pixels per side, "
              + Limits.MAX_PIXELS
              + " pixels in all)");
    }
    if (pixels > maxPixels) {
      throw new CliException(
          ExitCode.BAD_INPUT,
          file
              + ": "
              + w
              + "x"
              + h
              + " is "
              + pixels
              + " pixels, more than --max-pixels "
              + maxPixels);
    }
  }

  /** The writer for {@code file}'s extension, or a usage error that lists the choices. */
  static ImageWriter writerFor(Path file) throws CliException {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    Iterator<ImageWriter> it = ImageIO.getImageWritersBySuffix(ext);
    while (it.hasNext()) {
      ImageWriter w = it.next();
      if (!Arrays.asList(w.getOriginatingProvider().getFormatNames()).contains("vqc")) return w;
    }
    throw new CliException(
        ExitCode.USAGE,
        file
            + ": cannot tell the output format from the extension \""
            + ext
            + "\" (use one of "
            + String.join(", ", writableSuffixes())
            + ")");
  }

  static void write(BufferedImage image, ImageWriter writer, OutputStream out) throws IOException {
    try {
      if (Arrays.asList(writer.getOriginatingProvider().getFormatNames()).contains("png")) {
        Png.write(image, out); // faster and smaller than ImageIO's PNG writer
        return;
      }
      try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
        writer.setOutput(ios);
        writer.write(null, new IIOImage(image, null, null), writer.getDefaultWriteParam());
      }
    } finally {
      writer.dispose();
    }
  }

  private static TreeSet<String> readableFormats() {
    TreeSet<String> s = new TreeSet<>();
    for (String f : ImageIO.getReaderFileSuffixes()) s.add(f.toLowerCase(Locale.ROOT));
    return s;
  }

  private static TreeSet<String> writableSuffixes() {
    TreeSet<String> s = new TreeSet<>();
    for (String f : ImageIO.getWriterFileSuffixes()) {
      if (!f.equalsIgnoreCase("vqc")) s.add(f.toLowerCase(Locale.ROOT));
    }
    return s;
  }

  static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
