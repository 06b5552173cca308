package io.vqcodec.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Spec §10.2, §10.3, §10.6, §10.7: the video container. */
class VideoContainerTest {
  static final int W = 100, H = 40; // 7 x 3 cells
  static final FrameType[] TYPES = {
    FrameType.KEY, FrameType.PREDICTED, FrameType.PREDICTED, FrameType.KEY, FrameType.PREDICTED
  };

  static ContainerHeader header(int frames) {
    return header(frames, false);
  }

  /** With {@code compact}, the block of Spec §9.6.3: compact frame headers. */
  static ContainerHeader header(int frames, boolean compact) {
    return new ContainerHeader(
        PictureHeader.video(W, H, ChannelFormat.RGB, frames, 30000, 1001),
        new ModelId(3, new byte[ModelId.HASH_BYTES]),
        new TokenGridParams(4096, GranularityMode.MIXED, ProbabilityModel.ADAPTIVE_ORDER0),
        compact ? List.of(ContainerHeader.compactFrameHeaders()) : List.of());
  }

  static List<List<Slice>> frames(long seed) {
    Random r = new Random(seed);
    List<List<Slice>> out = new ArrayList<>();
    for (int f = 0; f < TYPES.length; f++) {
      List<Slice> slices = new ArrayList<>();
      int rowsPer = 1 + r.nextInt(3);
      for (int first = 0; first < 3; first += rowsPer) {
        byte[] p = new byte[1 + r.nextInt(40)];
        r.nextBytes(p);
        slices.add(new Slice(first, Math.min(rowsPer, 3 - first), p));
      }
      out.add(slices);
    }
    return out;
  }

  static byte[] video(List<List<Slice>> frames) throws IOException {
    return video(frames, false);
  }

  static byte[] video(List<List<Slice>> frames, boolean compact) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    VideoWriter w = new VideoWriter(out, header(frames.size(), compact));
    for (int f = 0; f < frames.size(); f++) w.writeFrame(TYPES[f], frames.get(f));
    w.finish();
    return out.toByteArray();
  }

  static List<VideoReader.Frame> readAll(VideoReader r) throws IOException {
    List<VideoReader.Frame> out = new ArrayList<>();
    for (VideoReader.Frame f; (f = r.next()) != null; ) out.add(f);
    return out;
  }

  @Test
  void framesRoundTripWithTheirIndex() throws IOException {
    List<List<Slice>> frames = frames(1);
    byte[] v = video(frames);
    VideoReader r = VideoReader.open(new ByteArrayInputStream(v));
    assertThat(r.header().picture().frameCount()).isEqualTo(5);
    assertThat(r.header().picture().frameRateNum()).isEqualTo(30000);
    List<VideoReader.Frame> got = readAll(r);
    assertThat(got).hasSize(5);
    for (int f = 0; f < 5; f++) {
      assertThat(got.get(f).number()).isEqualTo(f);
      assertThat(got.get(f).type()).isEqualTo(TYPES[f]);
      assertThat(got.get(f).lostBefore()).isZero();
      assertThat(got.get(f).slices()).isEqualTo(frames.get(f));
      assertThat(got.get(f).slices()).allMatch(s -> s.status() == Slice.Status.OK);
    }
    FrameIndex index = r.index();
    assertThat(index.frameNumbers()).containsExactly(0, 3);
    for (int i = 0; i < 2; i++) {
      int at = (int) index.offsets()[i];
      assertThat(Arrays.copyOfRange(v, at, at + 4)).isEqualTo(FrameSyntax.FRAME_SYNC);
      assertThat(got.get((int) index.frameNumbers()[i]).offset()).isEqualTo(at);
    }
    assertThat(index.atOrBefore(4)).isEqualTo(1);
    assertThat(index.atOrBefore(2)).isZero();
    assertThat(r.endCodeValid()).isTrue();
  }

  @Test
  void aDamagedFrameHeaderLosesThatFrameOnly() throws IOException {
    List<List<Slice>> frames = frames(2);
    byte[] v = video(frames);
    VideoReader probe = VideoReader.open(new ByteArrayInputStream(v));
    List<VideoReader.Frame> clean = readAll(probe);
    byte[] d = v.clone();
    d[(int) clean.get(2).offset() + 9] ^= 0x10; // inside frame 2's header: its CRC fails
    List<VideoReader.Frame> got = readAll(VideoReader.open(new ByteArrayInputStream(d)));
    assertThat(got).extracting(VideoReader.Frame::number).containsExactly(0L, 1L, 3L, 4L);
    assertThat(got.get(2).lostBefore()).isEqualTo(1);
    assertThat(got.get(2).slices()).isEqualTo(frames.get(3));
  }

  /** Spec §9.6.3, §10.3: the compact form reads back the same frames and slices. */
  @Test
  void compactFrameHeadersRoundTrip() throws IOException {
    for (long seed = 1; seed <= 20; seed++) {
      List<List<Slice>> frames = frames(seed);
      byte[] v = video(frames, true);
      assertThat(v[9]).isEqualTo((byte) CompactFrameHeaders.VERSION_MINOR); // Spec §2.2.3
      VideoReader r = VideoReader.open(new ByteArrayInputStream(v));
      assertThat(r.header().hasCompactFrameHeaders()).isTrue();
      List<VideoReader.Frame> got = readAll(r);
      assertThat(got).hasSize(5);
      for (int f = 0; f < 5; f++) {
        assertThat(got.get(f).number()).isEqualTo(f);
        assertThat(got.get(f).type()).isEqualTo(TYPES[f]);
        assertThat(got.get(f).slices()).as("seed %d frame %d", seed, f).isEqualTo(frames.get(f));
        assertThat(got.get(f).slices()).allMatch(s -> s.status() == Slice.Status.OK);
      }
      assertThat(r.index().frameNumbers()).containsExactly(0, 3);
      // Each frame header is 3 bytes (the size) plus one a slice (first_row) plus one (the last
      // row_count) shorter than the original form's.
      List<VideoReader.Frame> original =
          readAll(VideoReader.open(new ByteArrayInputStream(video(frames, false))));
      for (int f = 0; f < 5; f++) {
        assertThat(got.get(f).headerBytes())
            .isEqualTo(original.get(f).headerBytes() - 4 - frames.get(f).size());
      }
    }
  }

  /** A one-slice frame: 22 bytes of header in the original form, 17 in the compact one. */
  @Test
  void aOneSliceCompactFrameHeaderIs17Bytes() throws IOException {
    List<List<Slice>> frames = new ArrayList<>();
    for (int f = 0; f < TYPES.length; f++) frames.add(List.of(new Slice(0, 3, new byte[] {1, 2})));
    for (boolean compact : new boolean[] {false, true}) {
      List<VideoReader.Frame> got =
          readAll(VideoReader.open(new ByteArrayInputStream(video(frames, compact))));
      assertThat(got)
          .extracting(VideoReader.Frame::headerBytes)
          .containsOnly(compact ? FrameSyntax.MIN_COMPACT_FRAME_HEADER_SIZE : 22);
    }
  }

  /** Spec §10.7 in the compact form: a damaged header loses its frame; the next one is found. */
  @Test
  void aDamagedCompactFrameHeaderLosesThatFrameOnly() throws IOException {
    List<List<Slice>> frames = frames(2);
    byte[] v = video(frames, true);
    List<VideoReader.Frame> clean = readAll(VideoReader.open(new ByteArrayInputStream(v)));
    for (int at = 4; at < clean.get(2).headerBytes(); at++) {
      byte[] d = v.clone();
      d[(int) clean.get(2).offset() + at] ^= 0x41;
      List<VideoReader.Frame> got = readAll(VideoReader.open(new ByteArrayInputStream(d)));
      assertThat(got)
          .as("byte %d", at)
          .extracting(VideoReader.Frame::number)
          .containsExactly(0L, 1L, 3L, 4L);
      assertThat(got.get(2).lostBefore()).isEqualTo(1);
      assertThat(got.get(2).slices()).isEqualTo(frames.get(3));
    }
  }

  /** Spec §9.6.3: the block is for videos only, once, critical, without payload. */
  @Test
  void theCompactFrameHeadersBlockIsForVideosOnly() {
    assertThatThrownBy(
            () ->
                new ContainerHeader(
                    PictureHeader.still(W, H, ChannelFormat.RGB),
                    new ModelId(3, new byte[ModelId.HASH_BYTES]),
                    new TokenGridParams(
                        4096, GranularityMode.MIXED, ProbabilityModel.ADAPTIVE_ORDER0),
                    List.of(ContainerHeader.compactFrameHeaders())))
        .hasMessageContaining("video only");
    assertThatThrownBy(
            () ->
                new ContainerHeader(
                    PictureHeader.video(W, H, ChannelFormat.RGB, 1, 1, 1),
                    new ModelId(3, new byte[ModelId.HASH_BYTES]),
                    new TokenGridParams(
                        4096, GranularityMode.MIXED, ProbabilityModel.ADAPTIVE_ORDER0),
                    List.of(
                        ContainerHeader.compactFrameHeaders(),
                        ContainerHeader.compactFrameHeaders())))
        .hasMessageContaining("at most one");
  }

  @Test
  void aDamagedPayloadLosesOneSlice() throws IOException {
    List<List<Slice>> frames = frames(3);
    byte[] v = video(frames);
    List<VideoReader.Frame> clean = readAll(VideoReader.open(new ByteArrayInputStream(v)));
    byte[] d = v.clone();
    d[v.length - 40] ^= 1; // likely in the last frame's payloads or the index
    VideoReader r = VideoReader.open(new ByteArrayInputStream(d));
    List<VideoReader.Frame> got = readAll(r);
    long bad =
        got.stream()
            .flatMap(f -> f.slices().stream())
            .filter(s -> s.status() == Slice.Status.CRC_MISMATCH)
            .count();
    assertThat(got).hasSize(5);
    // Either one slice is damaged, or the index is and is ignored (Spec §10.6).
    assertThat(bad == 1 || r.index() == null).isTrue();
    assertThat(clean).hasSize(5);
  }

  @Test
  void aTruncatedStreamEndsCleanly() throws IOException {
    byte[] v = video(frames(4));
    List<VideoReader.Frame> clean = readAll(VideoReader.open(new ByteArrayInputStream(v)));
    int cut = (int) clean.get(3).offset() + 30;
    VideoReader r = VideoReader.open(new ByteArrayInputStream(Arrays.copyOf(v, cut)));
    List<VideoReader.Frame> got = readAll(r);
    assertThat(got).hasSizeBetween(3, 4);
    if (got.size() == 4) {
      assertThat(got.get(3).slices()).anyMatch(s -> s.status() != Slice.Status.OK);
    }
    assertThat(r.index()).isNull();
    assertThat(r.endCodeValid()).isFalse();
  }

  @Test
  void garbageAfterTheHeaderGivesNoFramesAndNoException() throws IOException {
    byte[] v = video(frames(5));
    List<VideoReader.Frame> clean = readAll(VideoReader.open(new ByteArrayInputStream(v)));
    byte[] d = Arrays.copyOf(v, (int) clean.get(0).offset() + 5000);
    new Random(9).nextBytes(Arrays.copyOfRange(d, 0, 0));
    Random r = new Random(9);
    for (int i = (int) clean.get(0).offset(); i < d.length; i++) d[i] = (byte) r.nextInt(256);
    assertThat(readAll(VideoReader.open(new ByteArrayInputStream(d)))).isEmpty();
  }

  @Test
  void theHeaderOfAVideoIsProfile1WithNoSlices() throws IOException {
    byte[] v = video(frames(6));
    assertThat(v[9]).isEqualTo((byte) HeaderSyntax.VERSION_MINOR_VIDEO);
    ContainerReader c = ContainerReader.open(v);
    assertThat(c.header().picture().isVideo()).isTrue();
    assertThat(c.sliceCount()).isZero();
  }

  @Test
  void aStillPictureIsNotAVideo() {
    byte[] still =
        ContainerWriter.write(
            new ContainerHeader(
                PictureHeader.still(W, H, ChannelFormat.RGB),
                new ModelId(3, new byte[ModelId.HASH_BYTES]),
                new TokenGridParams(4096, GranularityMode.MIXED, ProbabilityModel.ADAPTIVE_ORDER0)),
            List.of(new Slice(0, 3, new byte[] {1, 2, 3})));
    assertThatThrownBy(() -> VideoReader.open(new ByteArrayInputStream(still)))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining("not a video");
  }

  @Test
  void theWriterKeepsTheRules() throws IOException {
    List<Slice> one = List.of(new Slice(0, 3, new byte[] {7}));
    VideoWriter w = new VideoWriter(new ByteArrayOutputStream(), header(1));
    assertThatThrownBy(() -> w.writeFrame(FrameType.PREDICTED, one))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("first frame");
    w.writeFrame(FrameType.KEY, one);
    assertThatThrownBy(() -> w.writeFrame(FrameType.PREDICTED, one))
        .isInstanceOf(IllegalArgumentException.class);
    VideoWriter short2 = new VideoWriter(new ByteArrayOutputStream(), header(2));
    short2.writeFrame(FrameType.KEY, one);
    assertThatThrownBy(short2::finish).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                new VideoWriter(new ByteArrayOutputStream(), header(1))
                    .writeFrame(FrameType.KEY, List.of(new Slice(0, 2, new byte[] {7}))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Spec §10.2, §10.3, §10.9: motion frames (frame_type 2) need a writer that announced them, which
   * writes version_minor 3; in a version_minor 2 stream type 2 is reserved and the frame lost.
   */
  @Test
  void motionFramesNeedVersionMinor3() throws IOException {
    List<Slice> one = List.of(new Slice(0, 3, new byte[] {7}));
    VideoWriter plain = new VideoWriter(new ByteArrayOutputStream(), header(2));
    plain.writeFrame(FrameType.KEY, one);
    assertThatThrownBy(() -> plain.writeFrame(FrameType.MOTION, one))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version_minor 3");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    VideoWriter w = new VideoWriter(out, header(3), true);
    w.writeFrame(FrameType.KEY, one);
    w.writeFrame(FrameType.MOTION, one);
    w.writeFrame(FrameType.PREDICTED, one);
    w.finish();
    byte[] v = out.toByteArray();
    assertThat(v[9]).isEqualTo((byte) 3);
    assertThat(readAll(VideoReader.open(new ByteArrayInputStream(v))))
        .extracting(VideoReader.Frame::type)
        .containsExactly(FrameType.KEY, FrameType.MOTION, FrameType.PREDICTED);
    // The same stream relabelled version_minor 2 (header CRC recomputed): frame 1 is reserved.
    int size =
        ((v[10] & 0xFF) << 24) | ((v[11] & 0xFF) << 16) | ((v[12] & 0xFF) << 8) | (v[13] & 0xFF);
    v[9] = 2;
    long crc = HeaderSyntax.crc32c(v, 0, size - 4);
    for (int i = 0; i < 4; i++) v[size - 4 + i] = (byte) (crc >>> (24 - 8 * i));
    assertThat(readAll(VideoReader.open(new ByteArrayInputStream(v))))
        .extracting(VideoReader.Frame::type)
        .containsExactly(FrameType.KEY, null, FrameType.PREDICTED);
    assertThat(FrameType.of(2)).isEqualTo(FrameType.MOTION);
    assertThat(FrameType.of(2, 2)).isNull();
    assertThat(FrameType.of(3, 3)).isNull();
    assertThat(FrameType.MOTION.predicted()).isTrue();
    assertThat(FrameType.KEY.predicted()).isFalse();
  }

  @Test
  void aVideoOfUnknownLengthIsReadToItsIndex() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    VideoWriter w = new VideoWriter(out, header(0));
    List<List<Slice>> frames = frames(7);
    for (int f = 0; f < frames.size(); f++) w.writeFrame(TYPES[f], frames.get(f));
    w.finish();
    VideoReader r = VideoReader.open(new ByteArrayInputStream(out.toByteArray()));
    assertThat(r.header().picture().frameCount()).isZero();
    assertThat(readAll(r)).hasSize(5);
    assertThat(r.index().size()).isEqualTo(2);
  }
}
