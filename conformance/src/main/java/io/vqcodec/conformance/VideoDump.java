package io.vqcodec.conformance;

import io.vqcodec.tokens.TokenGrid;
import java.io.ByteArrayOutputStream;

/**
 * The canonical serialisation of a decoded video (Spec §C.2.1): every frame from 0 to the last one
 * the decoder read, decoded (its {@link TokenDump} serialisation, Spec §C.2) or lost (Spec §10.7),
 * then the frame index the decoder reached (Spec §10.6), with whether each entry is usable. Built
 * frame by frame, by the decoder under test and by the vector generator alike.
 *
 * <pre>
 * video_token_dump() {
 *   for each frame, in frame_number order from 0:
 *     frame_kind              u8   0x00 decoded, then token_dump(); 0x01 lost
 *   index_present             u8   0x00 none (absent or failing its checks), 0x01 present
 *   if (index_present) {
 *     key_frame_count         u32
 *     for each entry: key_frame_number u32, usable u8 (0x01 if the entry passes the checks of §10.6)
 *   }
 * }
 * </pre>
 */
public final class VideoDump {
  public static final int DECODED = 0x00, LOST = 0x01;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private long frames;
  private boolean ended;

  /** Frame {@link #frames()} was decoded into {@code grid} (lost tokens {@link TokenGrid#LOST}). */
  public VideoDump frame(TokenGrid grid) {
    open();
    out.write(DECODED);
    out.writeBytes(TokenDump.serialize(grid));
    frames++;
    return this;
  }

  /** Frame {@link #frames()} is lost (Spec §10.7: its header failed, its type is reserved, ...). */
  public VideoDump lost() {
    open();
    out.write(LOST);
    frames++;
    return this;
  }

  /** Frames serialised so far. */
  public long frames() {
    return frames;
  }

  /** No frame index was reached, or it failed a check of Spec §10.6; ends the dump. */
  public VideoDump noIndex() {
    open();
    out.write(0);
    ended = true;
    return this;
  }

  /**
   * The frame index: its key frame numbers and, per entry, whether its offset points at a frame
   * header that passes its checks with that number and frame_type 0 (Spec §10.6); ends the dump.
   */
  public VideoDump index(long[] keyFrameNumbers, boolean[] usable) {
    open();
    out.write(1);
    u32(keyFrameNumbers.length);
    for (int i = 0; i < keyFrameNumbers.length; i++) {
      u32(keyFrameNumbers[i]);
      out.write(usable[i] ? 1 : 0);
    }
    ended = true;
    return this;
  }

  /** The serialisation; the index part must have been given. */
  public byte[] bytes() {
    if (!ended) throw new IllegalStateException("no index part yet (noIndex or index)");
    return out.toByteArray();
  }

  /** Lower-case hexadecimal SHA-256 of {@link #bytes}. */
  public String sha256() {
    return TokenDump.sha256(bytes());
  }

  private void open() {
    if (ended) throw new IllegalStateException("the index part ends the dump");
  }

  private void u32(long v) {
    for (int s = 24; s >= 0; s -= 8) out.write((int) (v >>> s));
  }
}
