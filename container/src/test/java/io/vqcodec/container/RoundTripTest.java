package io.vqcodec.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RoundTripTest {

  static Stream<Arguments> pictures() {
    return Stream.of(
        Arguments.of(1, 1, ChannelFormat.GRAY, 16, GranularityMode.MIXED, 1),
        Arguments.of(1, 1, ChannelFormat.RGB, 4096, GranularityMode.ALL_FINE, 1),
        Arguments.of(16384, 1, ChannelFormat.RGB, 4096, GranularityMode.ALL_COARSE, 1),
        Arguments.of(1, 16384, ChannelFormat.GRAY, 64, GranularityMode.MIXED, 7),
        Arguments.of(16384, 4096, ChannelFormat.RGB, 256, GranularityMode.MIXED, 64),
        Arguments.of(17, 33, ChannelFormat.GRAY, 1024, GranularityMode.ALL_FINE, 2),
        Arguments.of(768, 512, ChannelFormat.RGB, 1024, GranularityMode.MIXED, 1));
  }

  @ParameterizedTest
  @MethodSource("pictures")
  void roundTripsHeaderAndSlices(
      int w, int h, ChannelFormat cf, int k, GranularityMode mode, int rowsPerSlice)
      throws IOException {
    PictureHeader p = PictureHeader.still(w, h, cf);
    ContainerHeader header =
        new ContainerHeader(
            p,
            new ModelId(123456789L, TestStreams.sha(w)),
            new TokenGridParams(k, mode, ProbabilityModel.ADAPTIVE_ORDER0));
    List<Slice> slices = TestStreams.slices(p, rowsPerSlice, new Random(w * 31 + h), 40);
    byte[] file = ContainerWriter.write(header, slices);
    assertThat((long) file.length).isEqualTo(ContainerWriter.size(header, slices));

    for (ContainerReader r :
        List.of(
            ContainerReader.open(file), ContainerReader.open(TestStreams.oneByteAtATime(file)))) {
      assertThat(r.header()).isEqualTo(header);
      assertThat(r.sliceCount()).isEqualTo(slices.size());
      assertThat(r.remainingSlices()).isEqualTo(slices);
      assertThat(r.endCodeValid()).isTrue();
      assertThat(r.nextSlice()).isNull();
    }
  }

  @Test
  void codedResolutionShrinksTheGridAndRaisesVersionMinor() throws IOException {
    // Spec §9.6.1: 100x70 at half resolution is coded as 50x35, 4x3 cells.
    PictureHeader p = PictureHeader.still(100, 70, ChannelFormat.RGB);
    ContainerHeader header =
        new ContainerHeader(
            p,
            new ModelId(3, TestStreams.sha(3)),
            new TokenGridParams(16, GranularityMode.ALL_COARSE, ProbabilityModel.ADAPTIVE_ORDER0),
            List.of(ContainerHeader.codedResolution(1)));
    assertThat(header.resolutionShift()).isEqualTo(1);
    assertThat(header.codedWidth()).isEqualTo(50);
    assertThat(header.codedHeight()).isEqualTo(35);
    List<Slice> slices = List.of(new Slice(0, 2, new byte[] {1}), new Slice(2, 1, new byte[] {2}));
    ContainerReader r = ContainerReader.open(ContainerWriter.write(header, slices));
    assertThat(r.versionMinor()).isEqualTo(1); // Spec §2.2.3: the lowest minor version it needs
    assertThat(r.header()).isEqualTo(header);
    assertThat(r.remainingSlices()).isEqualTo(slices);

    ContainerHeader quarter =
        new ContainerHeader(
            p, header.model(), header.grid(), List.of(ContainerHeader.codedResolution(2)));
    assertThat(quarter.codedWidth()).isEqualTo(25);
    assertThat(quarter.codedHeight()).isEqualTo(18); // ceil(70 / 4)
    assertThat(
            ContainerReader.open(
                    ContainerWriter.write(
                        TestStreams.multiSliceHeader(), TestStreams.multiSlices()))
                .versionMinor())
        .isZero();
    // Slices must tile the coded grid's 3 cell rows, not the picture's 5.
    assertThatThrownBy(() -> ContainerWriter.write(header, TestStreams.multiSlices()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void residualStagesRoundTripAndRaiseVersionMinor() throws IOException {
    // Spec §9.6.2: stage_count 3, stage codebooks of 4096 entries (level 6); version_minor 4.
    PictureHeader p = PictureHeader.still(100, 70, ChannelFormat.RGB);
    ContainerHeader header =
        new ContainerHeader(
            p,
            new ModelId(6, TestStreams.sha(6)),
            new TokenGridParams(4096, GranularityMode.MIXED, ProbabilityModel.TWO_STAGE),
            List.of(ContainerHeader.codedResolution(1), ContainerHeader.residualStages(3, 4096)));
    assertThat(header.stageCount()).isEqualTo(3);
    assertThat(header.stageCodebookSize()).isEqualTo(4096);
    List<Slice> slices = List.of(new Slice(0, 3, new byte[] {1}));
    ContainerReader r = ContainerReader.open(ContainerWriter.write(header, slices));
    assertThat(r.versionMinor()).isEqualTo(4);
    assertThat(r.header()).isEqualTo(header);
    assertThat(r.header().stageCount()).isEqualTo(3);
    // Spec §A.2: each stage after the first raises a slice's payload limit by 16 bytes per cell.
    List<Slice> full = List.of(new Slice(0, 3, new byte[Limits.maxSlicePayload(12, 3)]));
    assertThat(ContainerReader.open(ContainerWriter.write(header, full)).remainingSlices())
        .isEqualTo(full);
    assertThat(Limits.maxSlicePayload(12, 3)).isEqualTo(64 + 64 * 12);
    ContainerHeader plain =
        new ContainerHeader(
            p, header.model(), header.grid(), List.of(ContainerHeader.codedResolution(1)));
    assertThatThrownBy(() -> ContainerWriter.write(plain, full))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(TestStreams.multiSliceHeader().stageCount()).isEqualTo(1);
    assertThat(TestStreams.multiSliceHeader().stageCodebookSize()).isZero();
    assertThatThrownBy(() -> ContainerHeader.residualStages(4, 4096))
        .hasMessageContaining("stage_count 4: must be 2..3");
    assertThatThrownBy(() -> ContainerHeader.residualStages(2, 4095))
        .hasMessageContaining("stage_codebook_level");
    PictureHeader video = PictureHeader.video(100, 70, ChannelFormat.RGB, 10, 25, 1);
    assertThatThrownBy(
            () ->
                new ContainerHeader(
                    video,
                    header.model(),
                    header.grid(),
                    List.of(ContainerHeader.residualStages(2, 4096))))
        .hasMessageContaining("in a video: still pictures only");
  }

  @Test
  void pixelResidualRoundTripsRaisesVersionMinorAndThePayloadLimit() throws IOException {
    // Spec §9.6.4: steps 160 and 65535 (quarter units), version_minor 6; with a half-size grid the
    // residual covers the picture at its own size, 4 times the cells (Spec §A.2).
    PictureHeader p = PictureHeader.still(100, 70, ChannelFormat.RGB);
    ContainerHeader header =
        new ContainerHeader(
            p,
            new ModelId(6, TestStreams.sha(6)),
            new TokenGridParams(4096, GranularityMode.MIXED, ProbabilityModel.TWO_STAGE),
            List.of(ContainerHeader.codedResolution(1), ContainerHeader.pixelResidual(160, 65535)));
    assertThat(header.hasPixelResidual()).isTrue();
    assertThat(header.residualLumaStep()).isEqualTo(160);
    assertThat(header.residualChromaStep()).isEqualTo(65535);
    List<Slice> full = List.of(new Slice(0, 3, new byte[Limits.maxSlicePayload(12, 1, 1)]));
    ContainerReader r = ContainerReader.open(ContainerWriter.write(header, full));
    assertThat(r.versionMinor()).isEqualTo(6);
    assertThat(r.header()).isEqualTo(header);
    assertThat(r.remainingSlices()).isEqualTo(full);
    assertThat(Limits.maxSlicePayload(12, 1, 1)).isEqualTo(64 + 4 + (32 + 4 * 4864) * 12);
    ContainerHeader plain =
        new ContainerHeader(
            p, header.model(), header.grid(), List.of(ContainerHeader.codedResolution(1)));
    assertThat(plain.hasPixelResidual()).isFalse();
    assertThat(plain.residualLumaStep()).isZero();
    assertThatThrownBy(() -> ContainerWriter.write(plain, full))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ContainerHeader.pixelResidual(0, 4)).hasMessageContaining("1..65535");
    assertThatThrownBy(
            () ->
                new ContainerHeader(
                    p,
                    header.model(),
                    header.grid(),
                    List.of(new Extension(4, true, new byte[] {0, 0, 0, 1}))))
        .hasMessageContaining("luma_step 0, chroma_step 1");
    assertThatThrownBy(
            () ->
                new ContainerHeader(
                    p,
                    header.model(),
                    header.grid(),
                    List.of(
                        ContainerHeader.pixelResidual(4, 4), ContainerHeader.pixelResidual(4, 4))))
        .hasMessageContaining("a second pixel-residual");
    PictureHeader video = PictureHeader.video(100, 70, ChannelFormat.RGB, 10, 25, 1);
    assertThatThrownBy(
            () ->
                new ContainerHeader(
                    video,
                    header.model(),
                    header.grid(),
                    List.of(ContainerHeader.pixelResidual(4, 4))))
        .hasMessageContaining("in a video: still pictures only");
  }

  @Test
  void headerRefusesMalformedOrUnknownCriticalExtensions() {
    PictureHeader p = PictureHeader.still(100, 70, ChannelFormat.RGB);
    ModelId m = new ModelId(3, TestStreams.sha(3));
    TokenGridParams g =
        new TokenGridParams(16, GranularityMode.ALL_COARSE, ProbabilityModel.ADAPTIVE_ORDER0);
    assertThatThrownBy(() -> ContainerHeader.codedResolution(3))
        .hasMessageContaining("must be 1..2");
    assertThatThrownBy(
            () -> new ContainerHeader(p, m, g, List.of(new Extension(1, false, new byte[] {1}))))
        .hasMessageContaining("must be critical");
    assertThatThrownBy(
            () ->
                new ContainerHeader(
                    p,
                    m,
                    g,
                    List.of(
                        ContainerHeader.codedResolution(1), ContainerHeader.codedResolution(2))))
        .hasMessageContaining("at most one");
    assertThatThrownBy(
            () -> new ContainerHeader(p, m, g, List.of(new Extension(9, true, new byte[0]))))
        .hasMessageContaining("no critical extension of this type");
  }

  @Test
  void zeroLengthPayloadsAndExtensionsRoundTrip() throws IOException {
    ContainerHeader header = TestStreams.multiSliceHeader();
    List<Slice> slices = List.of(new Slice(0, 2, new byte[0]), new Slice(2, 3, new byte[0]));
    byte[] file = ContainerWriter.write(header, slices);
    ContainerReader r = ContainerReader.open(file);
    assertThat(r.header().extensions()).containsExactlyElementsOf(header.extensions());
    assertThat(r.remainingSlices())
        .extracting(Slice::status, Slice::payloadSize)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Slice.Status.OK, 0),
            org.assertj.core.groups.Tuple.tuple(Slice.Status.OK, 0));
    assertThat(r.endCodeValid()).isTrue();
  }

  @Test
  void ignorableExtensionsOfUnknownTypeAreSkipped() throws IOException {
    // Written by the independent raw writer: a decoder must step over blocks it does not know.
    RawStream raw =
        new RawStream()
            .extension(0x1234, new byte[300])
            .extension(0x7FFF, new byte[] {9})
            .slice(0, 1, new byte[] {1, 2})
            .slice(1, 1, new byte[] {3});
    byte[] file = raw.file(new byte[] {1, 2}, new byte[] {3});
    ContainerReader r = ContainerReader.open(file);
    assertThat(r.header().extensions()).extracting(Extension::type).containsExactly(0x1234, 0x7FFF);
    assertThat(r.remainingSlices()).extracting(Slice::status).containsOnly(Slice.Status.OK);
  }

  @Test
  void writerMatchesTheIndependentRawWriter() {
    RawStream raw = new RawStream();
    raw.weightsHash = java.util.Arrays.copyOf(TestStreams.sha(5), 16);
    raw.extension(0x4001, new byte[] {1, 2, 3});
    raw.slice(0, 1, new byte[] {10, 11}).slice(1, 1, new byte[0]);
    ContainerHeader header =
        new ContainerHeader(
            PictureHeader.still(40, 24, ChannelFormat.RGB),
            new ModelId(1, TestStreams.sha(5)),
            TokenGridParams.of(256),
            List.of(new Extension(0x4001, false, new byte[] {1, 2, 3})));
    byte[] file =
        ContainerWriter.write(
            header, List.of(new Slice(0, 1, new byte[] {10, 11}), new Slice(1, 1, new byte[0])));
    assertThat(file).isEqualTo(raw.file(new byte[] {10, 11}, new byte[0]));
  }

  @Test
  void openReadsTheHeaderOnlyThenOneSliceAtATime() throws IOException {
    byte[] file = ContainerWriter.write(TestStreams.multiSliceHeader(), TestStreams.multiSlices());
    TestStreams.CountingStream in = new TestStreams.CountingStream(file);
    ContainerReader r = ContainerReader.open(in);
    assertThat(in.pos).isEqualTo(r.headerSize());
    int expected = r.headerSize();
    for (Slice s : TestStreams.multiSlices()) {
      assertThat(r.nextSlice()).isEqualTo(s);
      expected += s.payloadSize();
      assertThat(in.pos).isEqualTo(expected);
    }
    assertThat(r.nextSlice()).isNull();
    assertThat(in.pos).isEqualTo(file.length);
  }

  @Test
  void writesToAStream() throws IOException {
    ContainerHeader h = TestStreams.multiSliceHeader();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ContainerWriter.write(h, TestStreams.multiSlices(), out);
    assertThat(out.toByteArray()).isEqualTo(ContainerWriter.write(h, TestStreams.multiSlices()));
    assertThat(ContainerReader.open(new ByteArrayInputStream(out.toByteArray())).header())
        .isEqualTo(h);
  }

  @Test
  void trailingBytesAfterTheEndCodeAreNotRead() throws IOException {
    byte[] file = ContainerWriter.write(TestStreams.multiSliceHeader(), TestStreams.multiSlices());
    byte[] longer = java.util.Arrays.copyOf(file, file.length + 10);
    TestStreams.CountingStream in = new TestStreams.CountingStream(longer);
    ContainerReader r = ContainerReader.open(in);
    r.remainingSlices();
    assertThat(r.endCodeValid()).isTrue();
    assertThat(in.pos).isEqualTo(file.length);
  }

  @Test
  void modelIdMatchesTheFullSha256() {
    byte[] sha = TestStreams.sha(3);
    ModelId m = new ModelId(1, sha);
    assertThat(m.weightsHash()).hasSize(16);
    assertThat(m.matches(1, sha)).isTrue();
    assertThat(m.matches(2, sha)).isFalse();
    sha[15] ^= 1;
    assertThat(m.matches(1, sha)).isFalse();
  }

  @Test
  void writerRefusesSlicesThatDoNotTileTheRows() {
    ContainerHeader h =
        new ContainerHeader(
            PictureHeader.still(40, 40, ChannelFormat.GRAY),
            new ModelId(1, TestStreams.sha(1)),
            TokenGridParams.of(16));
    assertThatThrownBy(() -> ContainerWriter.write(h, List.of(new Slice(0, 2, new byte[0]))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cover every cell row");
    assertThatThrownBy(
            () ->
                ContainerWriter.write(
                    h, List.of(new Slice(0, 1, new byte[0]), new Slice(2, 1, new byte[0]))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slice[1].first_row 2");
    assertThatThrownBy(() -> ContainerWriter.write(h, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slice_count 0");
    assertThatThrownBy(
            () -> ContainerWriter.write(h, List.of(new Slice(0, 3, new byte[64 + 32 * 9 + 1]))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slice[0].payload_length 353");
  }

  @Test
  void valueTypesRefuseWhatTheSpecForbids() {
    assertThatThrownBy(() -> PictureHeader.still(0, 5, ChannelFormat.RGB))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PictureHeader.still(16385, 1, ChannelFormat.RGB))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PictureHeader.still(16384, 16384, ChannelFormat.RGB))
        .hasMessageContaining("pixels");
    assertThatThrownBy(() -> new PictureHeader(8, 8, ChannelFormat.RGB, 8, 2, 0, 0))
        .hasMessageContaining("a picture has 1 frame");
    assertThatThrownBy(() -> PictureHeader.video(8, 8, ChannelFormat.RGB, 2, 25, 0))
        .hasMessageContaining("Spec §10.2");
    assertThatThrownBy(() -> TokenGridParams.of(512)).hasMessageContaining("codebook size 512");
    assertThatThrownBy(() -> new ModelId(0, new byte[32])).hasMessageContaining("model id 0");
    assertThatThrownBy(() -> new Extension(0, false, new byte[0])).hasMessageContaining("type 0");
  }
}
