package io.vqcodec.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What every sink shares: the temporary output and its fate (published by {@link #close}, deleted
 * by {@link #abort} or by any exception the sink throws), the frame size check and the frame count.
 * Subclasses write into {@link #temp}.
 */
abstract class AtomicSink implements FrameSink {
  private enum State {
    OPEN,
    CLOSED,
    ABORTED
  }

  final Path target;
  final Path temp;
  final int width;
  final int height;
  final int rateNum;
  final int rateDen;
  private final boolean overwrite;
  private final boolean folder;
  private final int[] rgb;
  private long frames;
  private State state = State.OPEN;

  AtomicSink(
      Path target, Path temp, boolean folder, boolean overwrite, int w, int h, int num, int den) {
    this.target = target;
    this.temp = temp;
    this.folder = folder;
    this.overwrite = overwrite;
    this.width = w;
    this.height = h;
    this.rateNum = num;
    this.rateDen = den;
    this.rgb = new int[w * h];
  }

  /** Writes frame number {@code index} (from 0), {@code rgb} w*h 0xRRGGBB ints. */
  abstract void writeFrame(int[] rgb, long index) throws IOException;

  /** Completes the temporary output (trailer, flush) and releases what the sink holds. */
  abstract void finish() throws IOException;

  /** Releases what the sink holds without completing the output; never throws. */
  abstract void release();

  @Override
  public final void write(BufferedImage frame) throws IOException {
    if (state != State.OPEN) {
      throw new IllegalStateException(target + ": sink is " + state.name().toLowerCase());
    }
    boolean ok = false;
    try {
      if (frame.getWidth() != width || frame.getHeight() != height) {
        throw new IllegalArgumentException(
            target
                + ": frame "
                + frames
                + " is "
                + frame.getWidth()
                + "x"
                + frame.getHeight()
                + ", the sink was created for "
                + width
                + "x"
                + height);
      }
      Rgb.read(frame, rgb);
      writeFrame(rgb, frames);
      frames++;
      ok = true;
    } finally {
      if (!ok) abort();
    }
  }

  @Override
  public final long frameCount() {
    return frames;
  }

  @Override
  public final void abort() {
    if (state != State.OPEN) return;
    state = State.ABORTED;
    release();
    TempOutput.discard(temp);
  }

  @Override
  public final void close() throws IOException {
    if (state != State.OPEN) return;
    boolean ok = false;
    try {
      finish();
      TempOutput.publish(temp, target, overwrite, folder);
      state = State.CLOSED;
      ok = true;
    } finally {
      if (!ok) abort();
    }
  }
}
