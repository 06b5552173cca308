package io.vqcodec.container;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a video (Spec §10.1) front to back: {@link #open} reads and checks {@code header()}, each
 * {@link #next} returns one frame with its slices (Spec §10.3), and after the last frame the frame
 * index (Spec §10.6) and end code are read. A damaged frame header is not an exception: the reader
 * resynchronises at the next frame header that passes its checks and reports the frames it lost
 * (Spec §10.7). Holds at most one frame's payloads and a bounded lookahead. Not thread-safe.
 */
public final class VideoReader {
  private final Lookahead in;
  private final ContainerHeader header;
  private final int cellsWide;
  private final int cellsHigh;
  private final int versionMinor;
  private final boolean compact; // Spec §9.6.3
  private final long frameCount; // Spec §10.2: 0 if not known
  private long expected;
  private FrameIndex index;
  private boolean endCodeValid;
  private boolean done;
  private Frame pending; // the key frame openAt checked, returned first

  /**
   * A frame as read.
   *
   * @param number frame_number
   * @param type the frame type, or null for a reserved one (the frame is then lost, Spec §10.3)
   * @param offset byte offset of its frame_sync
   * @param headerBytes its frame_header_size (Spec §10.3): what the frame costs beyond its slice
   *     payloads
   * @param lostBefore frames lost between the previous frame returned and this one (Spec §10.7)
   * @param slices its slices, each with the status of Spec §5.4
   */
  public record Frame(
      long number,
      FrameType type,
      long offset,
      int headerBytes,
      long lostBefore,
      List<Slice> slices) {
    public Frame {
      slices = List.copyOf(slices);
    }
  }

  private VideoReader(Lookahead in, ContainerHeader header, int versionMinor) {
    this.in = in;
    this.header = header;
    this.versionMinor = versionMinor;
    this.compact = header.hasCompactFrameHeaders();
    this.frameCount = header.picture().frameCount();
    this.cellsWide = Limits.cells(header.codedWidth());
    this.cellsHigh = Limits.cells(header.codedHeight());
  }

  /**
   * Reads {@code header()} of a video.
   *
   * @throws FormatException if the header is damaged, invalid, or not a video's (profile 1)
   */
  public static VideoReader open(InputStream in) throws IOException {
    ContainerReader r = ContainerReader.open(in); // reads exactly header_size bytes
    if (!r.header().picture().isVideo()) {
      throw new FormatException(
          FormatException.Reason.INVALID_HEADER,
          "profile 0 {at}: a still picture, not a video (Spec §10.2)",
          HeaderSyntax.PREFIX_SIZE);
    }
    return new VideoReader(new Lookahead(in, r.headerSize()), r.header(), r.versionMinor());
  }

  /**
   * Opens the video in {@code file} at the key frame at or before frame {@code frame}, found with
   * the frame index at the end of the file (Spec §10.6); the first {@link #next} returns that key
   * frame. The indexed frame header is checked (sync, CRC, number, key type) before it is used;
   * without a usable index the reader starts at the first frame, as {@link #open} does.
   *
   * @throws FormatException if the header is damaged, invalid, or not a video's
   */
  public static VideoReader openAt(SeekableByteChannel file, long frame) throws IOException {
    file.position(0);
    ContainerReader r = ContainerReader.open(Channels.newInputStream(file));
    if (!r.header().picture().isVideo()) return open(file, r); // refuses, as open does
    long headerEnd = r.headerSize();
    FrameIndex index = indexOf(file, headerEnd);
    if (index != null) {
      int e = index.atOrBefore(frame);
      if (e >= 0) {
        long number = index.frameNumbers()[e], offset = index.offsets()[e];
        file.position(offset);
        VideoReader v =
            new VideoReader(
                new Lookahead(Channels.newInputStream(file), offset), r.header(), r.versionMinor());
        v.expected = number;
        Frame first = v.next();
        if (first != null
            && first.number() == number
            && first.type() == FrameType.KEY
            && first.offset() == offset) {
          v.pending = first;
          return v;
        }
      }
    }
    file.position(headerEnd);
    return open(file, r);
  }

  private static VideoReader open(SeekableByteChannel file, ContainerReader r) throws IOException {
    if (!r.header().picture().isVideo()) {
      throw new FormatException(
          FormatException.Reason.INVALID_HEADER,
          "profile 0 {at}: a still picture, not a video (Spec §10.2)",
          HeaderSyntax.PREFIX_SIZE);
    }
    return new VideoReader(
        new Lookahead(Channels.newInputStream(file), r.headerSize()), r.header(), r.versionMinor());
  }

  /**
   * The frame index of a file that ends with it and the end code (Spec §10.6), or null if there is
   * none or it fails a check.
   */
  private static FrameIndex indexOf(SeekableByteChannel file, long headerEnd) throws IOException {
    long size = file.size();
    if (size < headerEnd + 8) return null;
    ByteBuffer tail = ByteBuffer.allocate(8);
    file.position(size - 8);
    while (tail.hasRemaining() && file.read(tail) > 0) {}
    byte[] t = tail.array();
    if (!Arrays.equals(Arrays.copyOfRange(t, 4, 8), HeaderSyntax.END_CODE)) return null;
    long indexSize = FrameIndex.u32(t, 0);
    long start = size - 8 - indexSize;
    if (indexSize > Limits.MAX_INDEX_SIZE || start < headerEnd) return null;
    ByteBuffer b = ByteBuffer.allocate((int) indexSize + 8);
    file.position(start);
    while (b.hasRemaining() && file.read(b) > 0) {}
    try {
      int[] end = new int[1];
      FrameIndex index = FrameIndex.parse(b.array(), end);
      return end[0] == indexSize + 4 ? index : null;
    } catch (FormatException e) {
      return null;
    }
  }

  public ContainerHeader header() {
    return header;
  }

  /**
   * The next frame in decoding (= display) order, or null once the frame index or the end of the
   * stream is reached.
   */
  public Frame next() throws IOException {
    if (pending != null) {
      Frame f = pending;
      pending = null;
      return f;
    }
    if (done) return null;
    while (true) {
      if (in.fill(FrameSyntax.PREFIX_SIZE) < 4) break; // the stream ends without an index
      if (in.startsWith(FrameSyntax.INDEX_SYNC)) {
        readIndex();
        break;
      }
      // Spec §10.2: with a frame count, what follows its last frame, other than the index, is
      // trailing data (Spec §2.6).
      if (frameCount > 0 && expected >= frameCount) break;
      Frame f = in.startsWith(FrameSyntax.FRAME_SYNC) ? tryFrame() : null;
      if (f == BEYOND_COUNT) break;
      if (f != null) return f;
      in.skip(1); // Spec §10.7: search forward, byte by byte
    }
    done = true;
    return null;
  }

  /** What {@link #tryFrame} returns for a frame past the header's frame_count (Spec §10.2). */
  private static final Frame BEYOND_COUNT = new Frame(-1, null, -1, 0, 0, List.of());

  /**
   * Reads a frame header at the current position and the frame's payloads; null, with nothing
   * consumed, if the header fails a check (Spec §10.3); {@link #BEYOND_COUNT}, with nothing
   * consumed, for a frame numbered past the header's frame_count.
   */
  private Frame tryFrame() throws IOException {
    long size;
    if (compact) {
      size = FrameSyntax.compactHeaderSize(in.peek(in.fill(FrameSyntax.COMPACT_PREFIX_SIZE)));
      if (size < 0) return null; // not a varint in range
    } else {
      if (in.fill(FrameSyntax.PREFIX_SIZE) < FrameSyntax.PREFIX_SIZE) return null;
      size = FrameIndex.u32(in.peek(FrameSyntax.PREFIX_SIZE), 4);
      if (size < FrameSyntax.MIN_FRAME_HEADER_SIZE) return null;
    }
    if (size > Limits.MAX_FRAME_HEADER_SIZE) return null;
    if (in.fill((int) size) < size) return null;
    byte[] h = in.peek((int) size);
    FrameSyntax f = new FrameSyntax(compact);
    try {
      // The CRC is checked before any field after frame_header_size is interpreted (ReadVisitor
      // checks it at frame_header_crc; a CRC mismatch and a bad field alike make the header fail).
      if (FrameIndex.u32(h, (int) size - 4) != HeaderSyntax.crc32c(h, 0, (int) size - 4)) {
        return null;
      }
      f.visit(new ReadVisitor(h, (int) size), cellsWide, cellsHigh);
    } catch (FormatException e) {
      return null;
    }
    // Spec §10.7: a frame_number below the next one expected fails the frame header's checks (a
    // stale or repeated header, not the next frame).
    if (f.frameNumber < expected) return null;
    // Spec §10.2: a frame numbered at or past a non-zero frame_count starts trailing data.
    if (frameCount > 0 && f.frameNumber >= frameCount) return BEYOND_COUNT;
    long offset = in.position();
    in.skip((int) size);
    long lost = f.frameNumber - expected; // frames whose headers were damaged or missing
    expected = f.frameNumber + 1;
    List<Slice> slices = new ArrayList<>((int) f.directory.count);
    for (int i = 0; i < f.directory.count; i++) {
      int first = (int) f.directory.firstRow[i], rows = (int) f.directory.rowCount[i];
      int length = (int) f.directory.payloadLength[i]; // bounded by Limits.maxSlicePayload
      byte[] payload = in.peek(in.fill(length));
      in.skip(payload.length);
      Slice.Status status;
      if (payload.length < length) {
        status = payload.length == 0 ? Slice.Status.MISSING : Slice.Status.TRUNCATED;
      } else {
        status =
            HeaderSyntax.crc32c(payload, 0, length) == f.directory.payloadCrc[i]
                ? Slice.Status.OK
                : Slice.Status.CRC_MISMATCH;
      }
      slices.add(new Slice(first, rows, payload, status));
    }
    return new Frame(
        f.frameNumber, FrameType.of(f.frameType, versionMinor), offset, (int) size, lost, slices);
  }

  private void readIndex() throws IOException {
    int got = in.fill(Limits.MAX_INDEX_SIZE + 4 + HeaderSyntax.END_CODE.length);
    byte[] rest = in.peek(got);
    int[] end = new int[1];
    try {
      index = FrameIndex.parse(rest, end);
      endCodeValid =
          end[0] + 4 <= rest.length
              && Arrays.equals(Arrays.copyOfRange(rest, end[0], end[0] + 4), HeaderSyntax.END_CODE);
    } catch (FormatException e) {
      index = null; // Spec §10.6: an index that fails a check is ignored
    }
    in.skip(got);
  }

  /** The frame index, once {@link #next} has returned null; null if absent or damaged. */
  public FrameIndex index() {
    return index;
  }

  /** Whether the end code followed the frame index (Spec §2.6); a warning only. */
  public boolean endCodeValid() {
    return endCodeValid;
  }

  /**
   * A window on the stream that can look ahead by up to a frame header or payload without consuming
   * it; grows only as bytes arrive.
   */
  private static final class Lookahead {
    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int start;
    private int end;
    private long position;
    private boolean eof;

    Lookahead(InputStream in, long position) {
      this.in = in;
      this.position = position;
    }

    /** Makes up to {@code n} bytes available; returns how many are (fewer only at the end). */
    int fill(int n) throws IOException {
      while (end - start < n && !eof) {
        if (start > 0 && end - start < buf.length / 2) {
          System.arraycopy(buf, start, buf, 0, end - start);
          end -= start;
          start = 0;
        }
        if (end == buf.length) {
          buf = Arrays.copyOf(buf, (int) Math.min((long) start + n, 2L * buf.length));
        }
        int r = in.read(buf, end, buf.length - end);
        if (r < 0) {
          eof = true;
        } else {
          end += r;
        }
      }
      return Math.min(n, end - start);
    }

    boolean startsWith(byte[] sync) {
      if (end - start < sync.length) return false;
      for (int i = 0; i < sync.length; i++) {
        if (buf[start + i] != sync[i]) return false;
      }
      return true;
    }

    byte[] peek(int n) {
      return Arrays.copyOfRange(buf, start, start + n);
    }

    void skip(int n) {
      start += n;
      position += n;
    }

    long position() {
      return position;
    }
  }
}
