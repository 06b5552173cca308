package io.vqcodec.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged and malicious streams: header damage gives a FormatException, slice damage a slice
 * status; never another exception type, never a hang, never an allocation the data does not back.
 */
@Timeout(20)
class HostileInputTest {
  static final int BIT_FLIP_SEEDS = 20_000;

  private static final ContainerHeader HEADER = TestStreams.multiSliceHeader();
  private static final List<Slice> SLICES = TestStreams.multiSlices();
  private static final byte[] FILE = ContainerWriter.write(HEADER, SLICES);

  /** Byte range [start, end) of each slice payload in FILE. */
  private static int[][] payloadRanges(int headerSize) {
    int[][] r = new int[SLICES.size()][];
    int pos = headerSize;
    for (int i = 0; i < r.length; i++) {
      r[i] = new int[] {pos, pos + SLICES.get(i).payloadSize()};
      pos = r[i][1];
    }
    return r;
  }

  private static int headerSize() throws FormatException {
    return ContainerReader.open(FILE).headerSize();
  }

  @Test
  void truncationAtEveryOffset() throws IOException {
    int headerSize = headerSize();
    int[][] ranges = payloadRanges(headerSize);
    for (int cut = 0; cut <= FILE.length; cut++) {
      byte[] part = Arrays.copyOf(FILE, cut);
      checkTruncated(part, cut, headerSize, ranges, false);
      if (cut % 7 == 0 || cut == FILE.length) checkTruncated(part, cut, headerSize, ranges, true);
    }
  }

  private static void checkTruncated(
      byte[] part, int cut, int headerSize, int[][] ranges, boolean oneByte) throws IOException {
    ContainerReader r;
    try {
      r =
          oneByte
              ? ContainerReader.open(TestStreams.oneByteAtATime(part))
              : ContainerReader.open(part);
    } catch (FormatException e) {
      assertThat(cut).as("header complete but refused: %s", e.getMessage()).isLessThan(headerSize);
      assertThat(e.getMessage()).containsAnyOf("file ends at byte " + cut, "inside the magic");
      return;
    }
    assertThat(cut).isGreaterThanOrEqualTo(headerSize);
    assertThat(r.header()).isEqualTo(HEADER);
    List<Slice> got = r.remainingSlices();
    assertThat(got).hasSize(SLICES.size());
    for (int i = 0; i < got.size(); i++) {
      Slice s = got.get(i);
      int start = ranges[i][0], end = ranges[i][1];
      assertThat(s.firstRow()).isEqualTo(SLICES.get(i).firstRow());
      if (end <= cut) {
        assertThat(s).isEqualTo(SLICES.get(i));
      } else if (start < cut) {
        assertThat(s.status()).isEqualTo(Slice.Status.TRUNCATED);
        assertThat(s.payload()).isEqualTo(Arrays.copyOfRange(FILE, start, cut));
      } else {
        assertThat(s.status()).isEqualTo(Slice.Status.MISSING);
        assertThat(s.payloadSize()).isZero();
      }
    }
    assertThat(r.endCodeValid()).isEqualTo(cut == FILE.length);
  }

  @Test
  void randomBitFlips() throws IOException {
    int headerSize = headerSize();
    int[][] ranges = payloadRanges(headerSize);
    int headerFailures = 0, sliceDamage = 0;
    for (int seed = 0; seed < BIT_FLIP_SEEDS; seed++) {
      Random rnd = new Random(seed);
      byte[] f = FILE.clone();
      int flips = 1 + rnd.nextInt(3);
      int[] at = new int[flips];
      for (int k = 0; k < flips; k++) {
        at[k] = rnd.nextInt(f.length);
        f[at[k]] ^= (byte) (1 << rnd.nextInt(8));
      }
      // Flips on the same bit cancel: judge by the bytes that actually differ.
      final byte[] damaged = f;
      at =
          java.util.stream.IntStream.range(0, f.length)
              .filter(i -> damaged[i] != FILE[i])
              .toArray();
      if (at.length == 0) continue;
      ContainerReader r;
      try {
        r =
            seed % 50 == 0
                ? ContainerReader.open(TestStreams.oneByteAtATime(f))
                : ContainerReader.open(f);
      } catch (FormatException e) {
        headerFailures++;
        assertThat(Arrays.stream(at).min().getAsInt())
            .as("seed %d: %s", seed, e.getMessage())
            .isLessThan(headerSize);
        continue;
      }
      assertThat(r.header()).as("seed %d: header damage went unnoticed", seed).isEqualTo(HEADER);
      List<Slice> got = r.remainingSlices();
      for (int i = 0; i < got.size(); i++) {
        int start = ranges[i][0], end = ranges[i][1];
        int[] diff = at;
        boolean hit = Arrays.stream(diff).anyMatch(a -> a >= start && a < end);
        if (hit) {
          sliceDamage++;
          assertThat(got.get(i).status())
              .as("seed %d slice %d", seed, i)
              .isEqualTo(Slice.Status.CRC_MISMATCH);
        } else {
          assertThat(got.get(i)).as("seed %d slice %d", seed, i).isEqualTo(SLICES.get(i));
        }
      }
      int[] diff = at;
      boolean endHit = Arrays.stream(diff).anyMatch(a -> a >= FILE.length - 4);
      assertThat(r.endCodeValid()).isEqualTo(!endHit);
    }
    assertThat(headerFailures).isGreaterThan(BIT_FLIP_SEEDS / 10);
    assertThat(sliceDamage).isGreaterThan(BIT_FLIP_SEEDS / 10);
  }

  @Test
  void randomGarbageNeverEscapesAsAnotherException() throws IOException {
    Random rnd = new Random(7);
    for (int i = 0; i < 2000; i++) {
      byte[] f = TestStreams.bytes(rnd, rnd.nextInt(200));
      if (i % 2 == 0 && f.length >= 14)
        System.arraycopy(FILE, 0, f, 0, 14); // valid prefix, garbage rest
      try {
        ContainerReader.open(f).remainingSlices();
        fail("garbage accepted");
      } catch (FormatException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  static Stream<Arguments> absurdHeaders() {
    return Stream.of(
        hostile(
            "width 2^31",
            s -> s.width = 1L << 31,
            "width 2147483648 at byte 16: must be 1..16384 (Spec §3.2)"),
        hostile("width 0", s -> s.width = 0, "width 0 at byte 16: must be 1..16384"),
        hostile(
            "height 2^40",
            s -> s.height = 1L << 40,
            "height 1099511627776 at byte 17: must be 1..16384"),
        hostile(
            "too many pixels",
            s -> {
              s.width = 16384;
              s.height = 16384;
            },
            "more than 67108864 pixels"),
        hostile(
            "varint of 20 bytes",
            s -> s.rawWidth = twentyByteVarint(),
            "width at byte 16: varint longer than 8 bytes"),
        hostile(
            "non-canonical varint",
            s -> s.rawWidth = new byte[] {(byte) 0xA8, 0x00},
            "non-canonical varint"),
        hostile("slice count 2^30", s -> s.sliceCount = 1L << 30, "slice_count 1073741824 at byte"),
        hostile(
            "payload length 2^40",
            s -> s.slices.get(0)[2] = 1L << 40,
            "slice[0].payload_length 1099511627776 at byte"),
        hostile(
            "payload over Annex A",
            s -> s.slices.get(0)[2] = 64 + 32 * 3 + 1,
            "must be 0..160 (Spec §5.2)"),
        hostile(
            "extension count 2^30",
            s ->
                s.rawExtensionCount =
                    new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04},
            "extension_count 1073741824 at byte 43: must be 0..64 (Spec §9.2)"),
        hostile(
            "extension length 2^40",
            s -> {
              s.extensionHeads.add(new long[] {5, 1L << 40});
              s.extensionPayloads.add(new byte[0]);
            },
            "extension[0].extension_length 1099511627776"),
        hostile(
            "critical extension",
            s -> s.extension(0x8000 | 42, new byte[] {1}),
            "critical extension 42 is not supported by this decoder (Spec §9.4)"),
        hostile("extension type 0", s -> s.extension(0, new byte[0]), "type number 0 is invalid"),
        hostile(
            "coded resolution shift 3",
            s -> s.extension(0x8001, new byte[] {3}),
            "coded-resolution resolution_shift 3: must be 1..2 (Spec §9.6.1)"),
        hostile(
            "coded resolution ignorable",
            s -> s.extension(0x0001, new byte[] {1}),
            "without the critical flag"),
        hostile(
            "coded resolution of 2 bytes",
            s -> s.extension(0x8001, new byte[] {1, 1}),
            "coded-resolution extension (type 1) of 2 bytes"),
        hostile(
            "coded resolution twice",
            s -> s.extension(0x8001, new byte[] {1}).extension(0x8001, new byte[] {1}),
            "a second coded-resolution extension"),
        hostile(
            "residual stages ignorable",
            s -> s.extension(0x0002, new byte[] {2, 6}),
            "residual stages (type 2) without the critical flag (Spec §9.6.2)"),
        hostile(
            "residual stages of 1 byte",
            s -> s.extension(0x8002, new byte[] {2}),
            "residual-stages extension (type 2) of 1 bytes: its payload is 2 bytes"),
        hostile(
            "residual stage_count 4",
            s -> s.extension(0x8002, new byte[] {4, 6}),
            "residual-stages stage_count 4: must be 2..3 (Spec §9.6.2)"),
        hostile(
            "residual stage_count 1",
            s -> s.extension(0x8002, new byte[] {1, 6}),
            "residual-stages stage_count 1: must be 2..3"),
        hostile(
            "residual stage codebook level 7",
            s -> s.extension(0x8002, new byte[] {2, 7}),
            "residual-stages stage_codebook_level 7: must be 2..6"),
        hostile(
            "residual stages twice",
            s -> s.extension(0x8002, new byte[] {2, 6}).extension(0x8002, new byte[] {3, 6}),
            "a second residual-stages extension (type 2)"),
        hostile(
            "slices past the coded grid",
            s -> s.extension(0x8001, new byte[] {1}),
            "slice_count 2 at byte 48: must be 1 (Spec §5.2)"),
        hostile(
            "version_major 1",
            s -> s.versionMajor = 1,
            "version_major 1 at byte 8: this decoder implements version 0.x"),
        hostile(
            "header_size 2^32-1",
            s -> s.headerSize = 0xFFFF_FFFFL,
            "header_size 4294967295 at byte 10: must be 20..4194304"),
        hostile("header_size too small", s -> s.headerSize = 19L, "header_size 19 at byte 10"),
        hostile(
            "header_size past the end",
            s -> s.headerSize = 4_000_000L,
            "inside the header (header_size 4000000)"),
        hostile("header_crc", s -> s.corruptCrc = true, "the header is damaged (Spec §2.5)"),
        hostile("profile", s -> s.profile = 2, "profile 2 at byte 14: v0 defines profile 0 (still"),
        hostile(
            "profile 1 at version_minor 0",
            s -> s.profile = 1,
            "profile 1 at byte 14 with version_minor 0: video needs version_minor 2"),
        hostile("header_flags", s -> s.flags = 0x80, "header_flags 0x80 at byte 15"),
        hostile(
            "channel_format",
            s -> s.channelFormat = 2,
            "channel_format 2 at byte 18: must be 0..1"),
        hostile(
            "bit_depth", s -> s.bitDepth = 10, "bit_depth 10 at byte 19: must be 8 (Spec §3.2)"),
        hostile("frame_count", s -> s.frameCount = 25, "frame_count 25 at byte 20: must be 1"),
        hostile(
            "frame_rate_den", s -> s.frameRateDen = 1, "frame_rate_den 1 at byte 22: must be 0"),
        hostile(
            "model_id 0",
            s -> s.modelId = 0,
            "model_id 0 at byte 23: must be 1..4294967295 (Spec §4.2)"),
        hostile(
            "codebook_level",
            s -> s.codebookLevel = 7,
            "codebook_level 7 at byte 40: must be 2..6 (Spec §6.2)"),
        hostile(
            "granularity_mode",
            s -> s.granularityMode = 3,
            "granularity_mode 3 at byte 41: must be 0..2"),
        hostile(
            "prob_model_id 1",
            s -> s.probModelId = 1,
            "prob_model_id 1 at byte 42: static frequency table (reserved"),
        hostile(
            "prob_model_id 4",
            s -> s.probModelId = 4,
            "prob_model_id 4 at byte 42: reserved is not supported"),
        hostile("first_row gap", s -> s.slices.get(1)[0] = 0, "slice[1].first_row 0 at byte"),
        hostile("rows not covered", s -> s.slices.remove(1), "slices must cover every cell row"),
        hostile("row_count 0", s -> s.slices.get(0)[1] = 0, "slice[0].row_count 0 at byte"),
        hostile(
            "stray header byte", s -> s.beforeCrc = new byte[] {0}, "header syntax ends at byte"));
  }

  private static Arguments hostile(String name, Consumer<RawStream> damage, String message) {
    return Arguments.of(name, damage, message);
  }

  private static byte[] twentyByteVarint() {
    byte[] b = new byte[20];
    Arrays.fill(b, (byte) 0x80);
    b[19] = 1;
    return b;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("absurdHeaders")
  void absurdHeaderIsRefusedWithAClearMessage(
      String name, Consumer<RawStream> damage, String message) throws IOException {
    RawStream s = new RawStream().slice(0, 1, new byte[] {1, 2, 3}).slice(1, 1, new byte[0]);
    damage.accept(s);
    byte[] file = s.file(new byte[] {1, 2, 3});
    String expected = message;
    assertThatThrownBy(() -> ContainerReader.open(file))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining(expected);
    assertThatThrownBy(() -> ContainerReader.open(TestStreams.oneByteAtATime(file)))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining(expected);
    // Spec §C.4: the reason says which check failed, without parsing the message.
    FormatException.Reason want =
        switch (name) {
          case "version_major 1" -> FormatException.Reason.UNSUPPORTED_VERSION;
          case "header_crc" -> FormatException.Reason.DAMAGED_HEADER;
          case "critical extension" -> FormatException.Reason.UNKNOWN_CRITICAL_EXTENSION;
          case "header_size past the end" -> FormatException.Reason.TRUNCATED_HEADER;
          default -> FormatException.Reason.INVALID_HEADER;
        };
    assertThatThrownBy(() -> ContainerReader.open(file))
        .isInstanceOfSatisfying(FormatException.class, e -> assertThat(e.reason()).isEqualTo(want));
  }

  @Test
  void versionMinorAboveOursIsAccepted() throws IOException {
    RawStream s = new RawStream().slice(0, 1, new byte[0]).slice(1, 1, new byte[0]);
    s.versionMinor = 9;
    ContainerReader r = ContainerReader.open(s.file());
    assertThat(r.versionMinor()).isEqualTo(9);
  }

  @Test
  void unsupportedVersionIsNamedEvenWhenTheStreamEndsInsideThePrefix() {
    // Spec §2.4: step 2 (version) before step 3 (header_size); 9 to 13 bytes hold the version.
    RawStream s = new RawStream().slice(0, 1, new byte[0]).slice(1, 1, new byte[0]);
    s.versionMajor = 1;
    byte[] file = s.file();
    for (int n = 9; n <= 13; n++) {
      byte[] part = Arrays.copyOf(file, n);
      assertThatThrownBy(() -> ContainerReader.open(part))
          .isInstanceOf(FormatException.class)
          .hasMessageContaining("version_major 1 at byte 8");
    }
  }

  @Test
  void magicDamageIsNamed() {
    byte[] crlf = FILE.clone();
    // Text-mode transfer: CR LF -> LF drops byte 4.
    byte[] textMode = new byte[crlf.length - 1];
    System.arraycopy(crlf, 0, textMode, 0, 4);
    System.arraycopy(crlf, 5, textMode, 4, crlf.length - 5);
    assertThatThrownBy(() -> ContainerReader.open(textMode))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining("text mode");
    byte[] sevenBit = FILE.clone();
    sevenBit[0] &= 0x7F;
    assertThatThrownBy(() -> ContainerReader.open(sevenBit)).hasMessageContaining("7-bit");
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};
    assertThatThrownBy(() -> ContainerReader.open(png))
        .hasMessageContaining("not a .vqc file")
        .hasMessageContaining("at byte 0");
    assertThatThrownBy(() -> ContainerReader.open(new byte[0]))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining("file ends at byte 0");
    assertThat(ContainerReader.hasMagic(FILE)).isTrue();
    assertThat(ContainerReader.hasMagic(png)).isFalse();
  }

  @Test
  void formatExceptionCarriesTheOffset() {
    RawStream s = new RawStream().slice(0, 1, new byte[0]).slice(1, 1, new byte[0]);
    s.width = 1L << 31;
    try {
      ContainerReader.open(s.file());
      fail("accepted");
    } catch (FormatException e) {
      assertThat(e.offset()).isEqualTo(16);
      assertThat(e).isInstanceOf(IOException.class);
    }
  }

  @Test
  void hugeClaimedSlicesOnAShortStreamAllocateOnlyWhatArrives() throws IOException {
    // Largest picture, one slice with the largest legal payload, and no payload bytes at all.
    RawStream s = new RawStream();
    s.width = 16384;
    s.height = 4096;
    s.slices.add(new long[] {0, 256, Limits.maxSlicePayload(1024 * 256), 0});
    byte[] header = s.header();
    ContainerReader r = ContainerReader.open(TestStreams.oneByteAtATime(header));
    Slice only = r.nextSlice();
    assertThat(only.status()).isEqualTo(Slice.Status.MISSING);
    assertThat(r.nextSlice()).isNull();
    assertThat(r.endCodeValid()).isFalse();
  }
}
