package io.vqcodec.container;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a video (Spec §10.1) to a stream as frames arrive: {@code header()} on construction, each
 * frame's header and payloads on {@link #writeFrame}, the frame index and the end code on {@link
 * #finish}. Memory does not grow with the frame count beyond 16 bytes per key frame. Not
 * thread-safe; does not close the stream.
 */
public final class VideoWriter {
  private final OutputStream out;
  private final int cellsWide;
  private final int cellsHigh;
  private final long frameLimit;
  private final boolean motion;
  private final boolean compact;
  private final List<long[]> keyFrames = new ArrayList<>();
  private long offset;
  private long frames;
  private boolean finished;

  /**
   * Writes {@code header()} of {@code header}, whose picture header must be a video's (Spec §10.2).
   *
   * @throws IllegalArgumentException if {@code header} is not a video's
   */
  public VideoWriter(OutputStream out, ContainerHeader header) throws IOException {
    this(out, header, false);
  }

  /**
   * {@link #VideoWriter(OutputStream, ContainerHeader)}; with {@code motion} the stream may hold
   * motion frames (frame_type 2, Spec §10.9) and is written with version_minor 3 (Spec §2.2.3: a
   * stream without them keeps version_minor 2). The frame headers are compact (Spec §10.3) when
   * {@code header} carries the block of {@link ContainerHeader#compactFrameHeaders()}.
   */
  public VideoWriter(OutputStream out, ContainerHeader header, boolean motion) throws IOException {
    if (!header.picture().isVideo()) {
      throw new IllegalArgumentException("not a video header: " + header.picture());
    }
    this.out = out;
    this.cellsWide = Limits.cells(header.codedWidth());
    this.cellsHigh = Limits.cells(header.codedHeight());
    int count = header.picture().frameCount();
    this.frameLimit = count == 0 ? Limits.MAX_FRAMES : count;
    this.motion = motion;
    this.compact = header.hasCompactFrameHeaders();
    byte[] h =
        ContainerWriter.headerBytes(
            HeaderSyntax.of(header, List.of(), motion ? HeaderSyntax.VERSION_MINOR_MOTION : 0),
            true);
    out.write(h);
    offset = h.length;
  }

  /**
   * Writes the next frame: its header (Spec §10.3) and payloads. The first frame must be a key
   * frame.
   *
   * @return the bytes the frame took, its header included
   * @throws IllegalArgumentException if the slices break Spec §5.2 or Annex A, the first frame is
   *     predicted, a motion frame was not announced to the constructor, or the header's frame count
   *     is exceeded
   */
  public int writeFrame(FrameType type, List<Slice> slices) throws IOException {
    if (finished) throw new IllegalStateException("finished");
    if (type == FrameType.MOTION && !motion) {
      throw new IllegalArgumentException(
          "a motion frame in a stream written without them (Spec §10.9: version_minor 3)");
    }
    if (frames == 0 && type != FrameType.KEY) {
      throw new IllegalArgumentException("the first frame must be a key frame (Spec §10.3)");
    }
    if (frames >= frameLimit) {
      throw new IllegalArgumentException("more frames than the header's " + frameLimit);
    }
    FrameSyntax f = new FrameSyntax(compact);
    f.frameNumber = frames;
    f.frameType = type.code;
    f.directory = SliceDirectory.of(slices);
    SizeVisitor size = new SizeVisitor();
    WriteVisitor w = new WriteVisitor(true);
    try {
      f.visit(size, cellsWide, cellsHigh);
      // A compact frame_header_size is a varint that counts itself (Spec §10.3): grow it until the
      // size it states is the size it makes.
      while (size.size() != f.frameHeaderSize) {
        f.frameHeaderSize = size.size();
        size = new SizeVisitor();
        f.visit(size, cellsWide, cellsHigh);
      }
      f.visit(w, cellsWide, cellsHigh);
    } catch (FormatException e) {
      throw new AssertionError(e); // writers do not throw FormatException
    }
    if (type == FrameType.KEY) keyFrames.add(new long[] {frames, offset});
    byte[] h = w.toByteArray();
    out.write(h);
    long start = offset;
    offset += h.length;
    for (Slice s : slices) {
      out.write(s.payloadNoCopy());
      offset += s.payloadSize();
    }
    frames++;
    return (int) (offset - start);
  }

  /** Frames written so far. */
  public long frameCount() {
    return frames;
  }

  /**
   * Writes the frame index (Spec §10.6) and the end code. A header that gave a frame count must
   * have had exactly that many frames.
   *
   * @throws IllegalStateException if fewer frames than the header's count were written
   */
  public void finish() throws IOException {
    if (finished) return;
    if (frameLimit != Limits.MAX_FRAMES && frames != frameLimit) {
      throw new IllegalStateException(
          frames + " frames written, the header promises " + frameLimit);
    }
    finished = true;
    out.write(indexBytes(keyFrames));
    out.write(HeaderSyntax.END_CODE);
    out.flush();
  }

  /** frame_index() for {@code keyFrames} ({number, offset} pairs). */
  private static byte[] indexBytes(List<long[]> keyFrames) {
    FrameIndex.Syntax s = new FrameIndex.Syntax();
    s.count = keyFrames.size();
    s.number = new long[keyFrames.size()];
    s.offset = new long[keyFrames.size()];
    for (int i = 0; i < keyFrames.size(); i++) {
      s.number[i] = keyFrames.get(i)[0];
      s.offset[i] = keyFrames.get(i)[1];
    }
    WriteVisitor w = new WriteVisitor(true);
    try {
      s.visit(w);
      w.headerCrc(); // index_crc: the CRC-32C of every index byte before it
    } catch (FormatException e) {
      throw new AssertionError(e);
    }
    byte[] body = w.toByteArray();
    byte[] out = Arrays.copyOf(body, body.length + 4);
    int n = body.length;
    out[n] = (byte) (n >>> 24);
    out[n + 1] = (byte) (n >>> 16);
    out[n + 2] = (byte) (n >>> 8);
    out[n + 3] = (byte) n;
    return out;
  }
}
