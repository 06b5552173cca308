package io.vqcodec.decoder;

import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.ContainerReader;
import io.vqcodec.container.FrameType;
import io.vqcodec.container.Limits;
import io.vqcodec.decoder.conceal.Concealer;
import io.vqcodec.neural.CodeHints;
import io.vqcodec.neural.ImageScaling;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.TokenGrid;
import io.vqcodec.tokens.VideoTokenDecoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * A pull decoder for .vqc videos (Spec §10): {@link #next} returns the frames in display order with
 * their timestamps, one at a time, holding the reference tokens and the last picture whatever the
 * clip's length.
 *
 * <pre>{@code
 * try (VideoDecoder d = VideoDecoder.open(in)) {
 *   for (VideoDecoder.Frame f; (f = d.next()) != null; ) show(f.image(), f.timestampMicros());
 * }
 * }</pre>
 *
 * <p>Loss (Spec §10.7): a lost frame shows the previous picture again; a token lost in a frame
 * takes the token of the cell last shown (temporal concealment), else the mean of its neighbours.
 * Frames are never dropped: the output has one picture per coded frame, lost ones included. Not
 * thread-safe: one decoder per stream.
 */
public final class VideoDecoder implements AutoCloseable {
  private final VideoTokenDecoder tokens;
  private final Tokenizer tokenizer;
  private final ContainerHeader header;
  private final ArrayDeque<Frame> pending = new ArrayDeque<>();
  private TokenGrid shown;
  private BufferedImage last;
  private java.io.Closeable owned;

  /**
   * A decoded frame.
   *
   * @param number its frame number, from 0
   * @param timestampMicros when it is shown: {@code number * rate_den / rate_num} seconds
   * @param type key, predicted or motion; null for a frame that was lost and concealed
   * @param payloadBytes bytes of its slices
   * @param skippedCells cells copied from the previous frame
   * @param lostTokens tokens lost and concealed
   * @param motionCells cells copied by motion from a displaced position (Spec §10.9)
   */
  public record Frame(
      long number,
      long timestampMicros,
      BufferedImage image,
      FrameType type,
      int payloadBytes,
      int skippedCells,
      int lostTokens,
      int motionCells) {}

  private VideoDecoder(VideoTokenDecoder tokens) throws IOException {
    this.tokens = tokens;
    this.header = tokens.header();
    this.tokenizer = Tokenizer.open(tokens.model());
  }

  /** Opens a video with the released models, at the format's pixel limit. */
  public static VideoDecoder open(InputStream in) throws IOException {
    return open(in, Limits.MAX_PIXELS);
  }

  /**
   * Opens a video, refusing frames of more than {@code maxPixels} pixels from the header.
   *
   * @throws io.vqcodec.container.FormatException if the header is damaged, invalid or a picture's
   * @throws io.vqcodec.tokens.UnknownModelException if the stream needs a model this decoder lacks
   */
  public static VideoDecoder open(InputStream in, long maxPixels) throws IOException {
    return new VideoDecoder(VideoTokenDecoder.open(in, ModelRegistry.builtIn(), maxPixels));
  }

  public ContainerHeader header() {
    return header;
  }

  /**
   * Opens the video in {@code file} at the key frame at or before {@code fromMicros} (Spec §10.6):
   * the first frame returned is that key frame, with its own number and timestamp (frame 0 without
   * a usable index). The decoder closes the file.
   */
  public static VideoDecoder open(Path file, long maxPixels, long fromMicros) throws IOException {
    SeekableByteChannel ch = Files.newByteChannel(file);
    try {
      // The header alone gives the rate; the frame shown at fromMicros is floor(t * rate), in
      // exact integer arithmetic.
      var p = ContainerReader.open(Channels.newInputStream(ch)).header().picture();
      long frame =
          p.frameRateNum() == 0
              ? 0
              : java.math.BigInteger.valueOf(Math.max(0, fromMicros))
                  .multiply(java.math.BigInteger.valueOf(p.frameRateNum()))
                  .divide(java.math.BigInteger.valueOf(1_000_000L * p.frameRateDen()))
                  .min(java.math.BigInteger.valueOf(Long.MAX_VALUE))
                  .longValue();
      VideoTokenDecoder t = VideoTokenDecoder.openAt(ch, ModelRegistry.builtIn(), maxPixels, frame);
      VideoDecoder d = new VideoDecoder(t);
      d.owned = ch;
      return d;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** The next frame in display order, or null after the last. */
  public Frame next() throws IOException {
    if (!pending.isEmpty()) return pending.poll();
    VideoTokenDecoder.Frame f = tokens.next();
    if (f == null) return null;
    for (long i = f.lostBefore(); i > 0; i--) pending.add(repeat(f.number() - i));
    if (f.type() == null) {
      pending.add(repeat(f.number()));
    } else {
      pending.add(picture(f));
    }
    return pending.poll();
  }

  /** A lost frame: the previous picture again (mid-gray before the first). */
  private Frame repeat(long n) {
    if (last == null) {
      int w = header.picture().width(), h = header.picture().height();
      last = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      java.awt.Graphics2D g = last.createGraphics();
      g.setColor(new java.awt.Color(128, 128, 128));
      g.fillRect(0, 0, w, h);
      g.dispose();
    }
    return new Frame(n, timestamp(n), last, null, 0, 0, 0, 0);
  }

  private Frame picture(VideoTokenDecoder.Frame f) throws IOException {
    TokenGrid grid = f.grid();
    BufferedImage image;
    if (f.lostTokens() == 0 && shown != null && grid.equals(shown)) {
      image = last; // a still frame: nothing to synthesise
    } else {
      TokenGrid visible = grid;
      CodeHints hints = null;
      if (f.lostTokens() > 0) {
        visible = grid.copy();
        if (shown != null) {
          for (int cy = 0; cy < grid.cellsHigh(); cy++) {
            for (int cx = 0; cx < grid.cellsWide(); cx++) {
              if (hasLost(visible, cx, cy) && !hasLost(shown, cx, cy)) {
                visible.copyCell(shown, cx, cy);
              }
            }
          }
        }
        hints = Concealer.neighbourMean().codes(visible, tokenizer);
      }
      image = tokenizer.decode(visible, hints);
      if (header.resolutionShift() > 0) {
        image =
            ImageScaling.upscale(
                image,
                header.resolutionShift(),
                header.picture().width(),
                header.picture().height());
      }
      if (shown != null) {
        holdStillCells(image, last, visible, shown, TokenGrid.CELL << header.resolutionShift());
      }
      shown = visible;
    }
    last = image;
    long n = f.number();
    return new Frame(
        n,
        timestamp(n),
        image,
        f.type(),
        f.payloadBytes(),
        f.skippedCells(),
        f.lostTokens(),
        f.motionCells());
  }

  /**
   * Cells within this many cells of a changed cell are re-synthesised; the others keep the pixels
   * shown before (see {@link #holdStillCells}).
   */
  static final int HOLD_RADIUS = 2;

  /**
   * Gives every cell whose tokens, and those of every cell within {@link #HOLD_RADIUS} of it, are
   * the same in {@code now} as in {@code before} the pixels of {@code previous}. The network's
   * output for a cell depends on cells up to 9 away, so a still region re-synthesised beside a
   * moving one changes a little from frame to frame: it flickers. Pixels are not normative (the
   * token grid is, Spec §C.5), so the decoder shows the still region as it was. A cell at the edge
   * of a held region keeps pixels synthesised with neighbours at most {@link #HOLD_RADIUS} cells
   * nearer to the change than it sees now, which keeps the seam faint.
   *
   * @param cellPixels the side of a cell in {@code image}'s pixels
   */
  static void holdStillCells(
      BufferedImage image,
      BufferedImage previous,
      TokenGrid now,
      TokenGrid before,
      int cellPixels) {
    int cw = now.cellsWide(), ch = now.cellsHigh();
    if (previous == null
        || previous.getWidth() != image.getWidth()
        || previous.getHeight() != image.getHeight()
        || before.cellsWide() != cw
        || before.cellsHigh() != ch) {
      return;
    }
    // Changed cells, then the held ones: no changed cell within the radius (a box, per axis).
    boolean[] changed = new boolean[cw * ch];
    for (int cy = 0; cy < ch; cy++) {
      for (int cx = 0; cx < cw; cx++) changed[cy * cw + cx] = !now.sameCell(before, cx, cy);
    }
    int[] px = new int[cellPixels * cellPixels];
    for (int cy = 0; cy < ch; cy++) {
      for (int cx = 0; cx < cw; cx++) {
        if (nearChange(changed, cw, ch, cx, cy)) continue;
        int x = cx * cellPixels, y = cy * cellPixels;
        int w = Math.min(cellPixels, image.getWidth() - x);
        int h = Math.min(cellPixels, image.getHeight() - y);
        if (w <= 0 || h <= 0) continue;
        previous.getRGB(x, y, w, h, px, 0, w);
        image.setRGB(x, y, w, h, px, 0, w);
      }
    }
  }

  private static boolean nearChange(boolean[] changed, int cw, int ch, int cx, int cy) {
    for (int y = Math.max(0, cy - HOLD_RADIUS); y <= Math.min(ch - 1, cy + HOLD_RADIUS); y++) {
      for (int x = Math.max(0, cx - HOLD_RADIUS); x <= Math.min(cw - 1, cx + HOLD_RADIUS); x++) {
        if (changed[y * cw + x]) return true;
      }
    }
    return false;
  }

  private static boolean hasLost(TokenGrid g, int cx, int cy) {
    if (!g.isFine(cx, cy)) return g.coarseToken(cx, cy) == TokenGrid.LOST;
    for (int q = 0; q < 4; q++) {
      if (g.fineToken(2 * cx + (q & 1), 2 * cy + (q >> 1)) == TokenGrid.LOST) return true;
    }
    return false;
  }

  private long timestamp(long frame) {
    return frame * 1_000_000L * header.picture().frameRateDen() / header.picture().frameRateNum();
  }

  /** The frame index (Spec §10.6) once {@link #next} has returned null; null if absent. */
  public io.vqcodec.container.FrameIndex index() {
    return tokens.index();
  }

  @Override
  public void close() {
    tokenizer.close();
    if (owned != null) {
      try {
        owned.close();
      } catch (IOException e) {
        // a read-only channel: nothing was written that could be lost
      }
    }
  }
}
