package io.vqcodec.container;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The header syntax, written once: {@link #visit} lists the fields of header() in spec order, with
 * the spec's names, and the reader, the writer and the size counter walk it. Fields are held as
 * {@code long} so a test can write hostile values through an unchecked writer.
 *
 * <p>Spec §2.3 header(), §2.2 file header, §3.2 picture header, §4.2 model identification, §6.2
 * token-grid parameters, §9.2 extension blocks, §5.2 slice directory, §2.5 header CRC.
 */
final class HeaderSyntax {
  /** Spec §2.2: PNG-like magic, 0x89 "VQC" CR LF SUB LF. */
  static final byte[] MAGIC = {(byte) 0x89, 'V', 'Q', 'C', 0x0D, 0x0A, 0x1A, 0x0A};

  /** Spec §2.2: bytes of the frozen prefix (magic, version_major, version_minor, header_size). */
  static final int PREFIX_SIZE = 14;

  /** Smallest header_size that can hold the prefix, profile, header_flags and header_crc. */
  static final int MIN_HEADER_SIZE = PREFIX_SIZE + 2 + 4;

  static final int VERSION_MAJOR = 0;
  static final int VERSION_MINOR = 0;
  static final int PROFILE_STILL = 0;
  static final int PROFILE_VIDEO = 1;

  /** Spec §10: the first version_minor with profile 1. */
  static final int VERSION_MINOR_VIDEO = 2;

  /** Spec §10.9: the first version_minor with motion frames (frame_type 2). */
  static final int VERSION_MINOR_MOTION = 3;

  /** Spec §2.6: end_code, "VQCE". */
  static final byte[] END_CODE = {'V', 'Q', 'C', 'E'};

  static final int MIN_CODEBOOK_LEVEL = 2;
  static final int MAX_CODEBOOK_LEVEL = 6;
  static final int CRITICAL_BIT = 0x8000;

  long versionMajor = VERSION_MAJOR;
  long versionMinor = VERSION_MINOR;
  long headerSize;
  long profile = PROFILE_STILL;
  long headerFlags;

  long width;
  long height;
  long channelFormat;
  long bitDepth;
  long frameCount;
  long frameRateNum;
  long frameRateDen;

  long modelId;
  byte[] weightsHash;

  long codebookLevel;
  long granularityMode;
  long probModelId;

  long extensionCount;

  /** Spec §9.6.1: resolution_shift of a coded-resolution block, 0 without one. */
  int resolutionShift;

  long[] extensionType = new long[0];
  byte[][] extensionPayload = new byte[0][];

  SliceDirectory directory = new SliceDirectory();

  void visit(FieldVisitor v) throws FormatException {
    visitPrefix(v);
    visitBody(v);
  }

  /**
   * Spec §2.2: the 14 bytes every version keeps, so any decoder can identify and size the header.
   */
  void visitPrefix(FieldVisitor v) throws FormatException {
    v.section("Spec §2.2");
    byte[] magic = v.bytes("magic", MAGIC, MAGIC.length);
    v.require(
        Arrays.equals(magic, MAGIC),
        "magic " + describeBytes(magic, 0, magic.length) + " {at}: not a .vqc file");
    versionMajor = v.uint("version_major", 1, versionMajor, 0, 255);
    v.require(
        versionMajor == VERSION_MAJOR,
        FormatException.Reason.UNSUPPORTED_VERSION,
        "version_major "
            + versionMajor
            + " {at}: this decoder implements version "
            + VERSION_MAJOR
            + ".x only");
    versionMinor = v.uint("version_minor", 1, versionMinor, 0, 255);
    headerSize = v.uint("header_size", 4, headerSize, MIN_HEADER_SIZE, Limits.MAX_HEADER_SIZE);
  }

  void visitBody(FieldVisitor v) throws FormatException {
    v.section("Spec §2.2");
    profile = v.uint("profile", 1, profile, 0, 255);
    v.require(
        profile == PROFILE_STILL || profile == PROFILE_VIDEO,
        "profile " + profile + " {at}: v0 defines profile 0 (still picture) and 1 (video)");
    v.require(
        profile == PROFILE_STILL || versionMinor >= VERSION_MINOR_VIDEO,
        "profile 1 {at} with version_minor "
            + versionMinor
            + ": video needs version_minor "
            + VERSION_MINOR_VIDEO
            + " or later (Spec §10)");
    headerFlags = v.uint("header_flags", 1, headerFlags, 0, 255);
    v.require(
        headerFlags == 0,
        "header_flags 0x"
            + Long.toHexString(headerFlags)
            + " {at}: reserved bits set; v0 requires 0");

    visitPictureHeader(v);
    visitModelIdentification(v);
    visitTokenGridParams(v);
    visitExtensions(v);
    visitSliceDirectory(v);

    v.section("Spec §2.5");
    v.headerCrc();
  }

  /** Spec §3.2. */
  private void visitPictureHeader(FieldVisitor v) throws FormatException {
    v.section("Spec §3.2");
    width = v.varint("width", width, 1, Limits.MAX_WIDTH);
    height = v.varint("height", height, 1, Limits.MAX_HEIGHT);
    v.require(
        width * height <= Limits.MAX_PIXELS,
        "picture "
            + width
            + "x"
            + height
            + " {at}: more than "
            + Limits.MAX_PIXELS
            + " pixels (Spec §A.1)");
    channelFormat = v.uint("channel_format", 1, channelFormat, 0, 1);
    bitDepth = v.uint("bit_depth", 1, bitDepth, 8, 8);
    if (profile == PROFILE_VIDEO) {
      v.section("Spec §10.2");
      frameCount = v.varint("frame_count", frameCount, 0, Limits.MAX_FRAMES);
      frameRateNum = v.varint("frame_rate_num", frameRateNum, 1, Limits.MAX_FRAME_RATE_TERM);
      frameRateDen = v.varint("frame_rate_den", frameRateDen, 1, Limits.MAX_FRAME_RATE_TERM);
    } else {
      frameCount = v.varint("frame_count", frameCount, 1, 1);
      frameRateNum = v.varint("frame_rate_num", frameRateNum, 0, 0);
      frameRateDen = v.varint("frame_rate_den", frameRateDen, 0, 0);
    }
  }

  /** Spec §4.2. */
  private void visitModelIdentification(FieldVisitor v) throws FormatException {
    v.section("Spec §4.2");
    modelId = v.varint("model_id", modelId, 1, Limits.MAX_MODEL_ID);
    weightsHash = v.bytes("weights_hash", weightsHash, ModelId.HASH_BYTES);
  }

  /** Spec §6.2. */
  private void visitTokenGridParams(FieldVisitor v) throws FormatException {
    v.section("Spec §6.2");
    codebookLevel =
        v.uint("codebook_level", 1, codebookLevel, MIN_CODEBOOK_LEVEL, MAX_CODEBOOK_LEVEL);
    granularityMode = v.uint("granularity_mode", 1, granularityMode, 0, 2);
    v.section("Spec §8.1");
    probModelId = v.uint("prob_model_id", 1, probModelId, 0, 255);
    v.require(
        probModelId == 0 || probModelId == 2 || probModelId == 3, describeProbModel(probModelId));
  }

  /** Spec §9.2. */
  private void visitExtensions(FieldVisitor v) throws FormatException {
    v.section("Spec §9.2");
    extensionCount = v.varint("extension_count", extensionCount, 0, Limits.MAX_EXTENSIONS);
    resolutionShift = 0;
    seen.clear();
    stageCount = 1;
    pixelResidual = false;
    int n = (int) extensionCount;
    if (extensionType.length != n) {
      extensionType = new long[n];
      extensionPayload = new byte[n][];
    }
    for (int i = 0; i < n; i++) {
      String e = "extension[" + i + "].";
      extensionType[i] = v.uint(e + "extension_type", 2, extensionType[i], 0, 0xFFFF);
      long type = extensionType[i] & ~CRITICAL_BIT;
      v.require(
          type != 0,
          e
              + "extension_type 0x"
              + Long.toHexString(extensionType[i])
              + " {at}: type number 0 is invalid");
      boolean critical = (extensionType[i] & CRITICAL_BIT) != 0;
      Registered known = Registered.of(type);
      if (v.reading() && known != null) {
        // Spec §9.6, §C.4: a rule broken by the type field is reported at extension_type.
        v.require(
            critical,
            e
                + "extension_type 0x"
                + Long.toHexString(extensionType[i])
                + " {at}: "
                + known.name
                + " (type "
                + type
                + ") without the critical flag (Spec "
                + known.section
                + ")");
        v.require(
            !seen.contains(known),
            e
                + "extension_type {at}: a second "
                + known.adjective
                + " extension (type "
                + type
                + "): at most one (Spec "
                + known.section
                + ")");
        v.require(
            known.profile < 0 || profile == known.profile,
            e
                + "extension_type {at}: "
                + known.adjective
                + " extension (type "
                + type
                + (known.profile == PROFILE_STILL
                    ? ") in a video: still pictures only (Spec "
                    : ") in a still picture: video only (Spec ")
                + known.section
                + ")");
      }
      if (v.reading() && known == null) {
        v.require(
            !critical,
            FormatException.Reason.UNKNOWN_CRITICAL_EXTENSION,
            e
                + "extension_type 0x"
                + Long.toHexString(extensionType[i])
                + " {at}: critical extension "
                + type
                + " is not supported by this decoder (Spec §9.4)");
      }
      long len =
          v.varint(
              e + "extension_length",
              extensionPayload[i] == null ? 0 : extensionPayload[i].length,
              0,
              Limits.MAX_EXTENSION_SIZE);
      if (v.reading() && known != null) {
        v.require(
            len == known.payloadSize,
            e
                + "extension_length {at}: "
                + known.adjective
                + " extension (type "
                + type
                + ") of "
                + len
                + " bytes: its payload is "
                + known.payloadSize
                + (known.payloadSize == 1 ? " byte" : " bytes")
                + " (Spec "
                + known.section
                + ")");
      }
      extensionPayload[i] = v.bytes(e + "extension_payload", extensionPayload[i], (int) len);
      // The payload rules of the registered types (the others were checked at extension_type and
      // extension_length on read; a writer's ContainerHeader checked them all): here because the
      // slice directory below depends on them.
      if (type == ResidualStages.TYPE) {
        byte[] p = extensionPayload[i];
        v.require(
            ResidualStages.validPayload(p),
            e + "extension_payload {at}: " + ResidualStages.describePayload(p));
        stageCount = p[0] & 0xFF;
      }
      if (type == PixelResidualBlock.TYPE) {
        byte[] p = extensionPayload[i];
        v.require(
            PixelResidualBlock.validPayload(p),
            e + "extension_payload {at}: " + PixelResidualBlock.describePayload(p));
        pixelResidual = true;
      }
      if (known != null) seen.add(known);
      if (type == CodedResolution.TYPE) {
        byte[] p = extensionPayload[i];
        v.require(
            CodedResolution.validPayload(p),
            e + "extension_payload {at}: " + CodedResolution.describePayload(p));
        resolutionShift = p[0] & 0xFF;
      }
    }
  }

  /** The registered types read so far in this header: each may occur once (Spec §9.6). */
  private final EnumSet<Registered> seen = EnumSet.noneOf(Registered.class);

  /** The registered extension types this reader implements (Spec §9.6), with their rules' names. */
  private enum Registered {
    CODED_RESOLUTION(CodedResolution.TYPE, "coded resolution", "coded-resolution", 1, "§9.6.1", -1),
    RESIDUAL_STAGES(
        ResidualStages.TYPE,
        "residual stages",
        "residual-stages",
        ResidualStages.PAYLOAD_SIZE,
        "§9.6.2",
        PROFILE_STILL),
    COMPACT_FRAME_HEADERS(
        CompactFrameHeaders.TYPE,
        "compact frame headers",
        "compact-frame-headers",
        CompactFrameHeaders.PAYLOAD_SIZE,
        "§9.6.3",
        PROFILE_VIDEO),
    PIXEL_RESIDUAL(
        PixelResidualBlock.TYPE,
        "pixel residual",
        "pixel-residual",
        PixelResidualBlock.PAYLOAD_SIZE,
        "§9.6.4",
        PROFILE_STILL);

    final int type;
    final String name;
    final String adjective;
    final int payloadSize;
    final String section;
    final int profile; // the only profile the type may occur in, or -1 for any

    Registered(
        int type, String name, String adjective, int payloadSize, String section, int profile) {
      this.type = type;
      this.name = name;
      this.adjective = adjective;
      this.payloadSize = payloadSize;
      this.section = section;
      this.profile = profile;
    }

    /** The registered type of type number {@code type}, or null. */
    static Registered of(long type) {
      for (Registered r : values()) if (r.type == type) return r;
      return null;
    }
  }

  /** Spec §9.6.2: stage_count of a residual-stages block, 1 without one; bounds the payloads. */
  private int stageCount = 1;

  /**
   * Spec §9.6.4: whether the slice payloads carry a pixel residual, which bounds them (Spec §A.2).
   */
  private boolean pixelResidual;

  /** Spec §5.2; empty in a video's header (Spec §10.2). */
  private void visitSliceDirectory(FieldVisitor v) throws FormatException {
    // The token grid covers the coded picture (Spec §6.1, §9.6.1).
    int cellsWide = Limits.cells(CodedResolution.coded((int) width, resolutionShift));
    int cellsHigh = Limits.cells(CodedResolution.coded((int) height, resolutionShift));
    directory.visit(
        v,
        cellsWide,
        cellsHigh,
        profile == PROFILE_VIDEO,
        stageCount,
        pixelResidual ? resolutionShift : -1);
  }

  static HeaderSyntax of(ContainerHeader h, List<Slice> slices) {
    return of(h, slices, 0);
  }

  /** {@link #of(ContainerHeader, List)} with version_minor at least {@code minMinor}. */
  static HeaderSyntax of(ContainerHeader h, List<Slice> slices, int minMinor) {
    HeaderSyntax s = new HeaderSyntax();
    PictureHeader p = h.picture();
    s.width = p.width();
    s.height = p.height();
    s.channelFormat = p.channelFormat().code;
    s.bitDepth = p.bitDepth();
    s.frameCount = p.frameCount();
    s.frameRateNum = p.frameRateNum();
    s.frameRateDen = p.frameRateDen();
    s.modelId = h.model().id();
    s.weightsHash = h.model().weightsHash();
    s.codebookLevel = TokenGridParams.codebookLevelOf(h.grid().codebookSize());
    s.granularityMode = h.grid().granularityMode().code;
    s.probModelId = h.grid().probabilityModel().code;
    int ne = h.extensions().size();
    s.extensionCount = ne;
    // Spec §2.2.3: the lowest version_minor whose features the stream uses.
    if (h.resolutionShift() > 0) s.versionMinor = CodedResolution.VERSION_MINOR;
    if (h.stageCount() > 1) s.versionMinor = ResidualStages.VERSION_MINOR;
    if (h.hasCompactFrameHeaders()) s.versionMinor = CompactFrameHeaders.VERSION_MINOR;
    if (h.hasPixelResidual()) s.versionMinor = PixelResidualBlock.VERSION_MINOR;
    s.extensionType = new long[ne];
    s.extensionPayload = new byte[ne][];
    for (int i = 0; i < ne; i++) {
      Extension e = h.extensions().get(i);
      s.extensionType[i] = e.type() | (e.critical() ? CRITICAL_BIT : 0);
      s.extensionPayload[i] = e.payloadNoCopy();
    }
    s.directory = SliceDirectory.of(slices);
    if (p.isVideo()) {
      s.profile = PROFILE_VIDEO;
      s.versionMinor = Math.max(s.versionMinor, VERSION_MINOR_VIDEO);
      if (!slices.isEmpty())
        throw new IllegalArgumentException("a video's header has no slices (Spec §10.2)");
    }
    s.versionMinor = Math.max(s.versionMinor, minMinor);
    return s;
  }

  /** The public header; fields have been range-checked by the visit. */
  ContainerHeader toHeader() {
    PictureHeader p =
        new PictureHeader(
            (int) width,
            (int) height,
            ChannelFormat.of((int) channelFormat),
            (int) bitDepth,
            (int) frameCount,
            (int) frameRateNum,
            (int) frameRateDen);
    TokenGridParams g =
        new TokenGridParams(
            1 << (2 * codebookLevel),
            GranularityMode.of((int) granularityMode),
            ProbabilityModel.of((int) probModelId));
    List<Extension> ext = new ArrayList<>();
    for (int i = 0; i < extensionCount; i++) {
      ext.add(
          new Extension(
              (int) (extensionType[i] & ~CRITICAL_BIT),
              (extensionType[i] & CRITICAL_BIT) != 0,
              extensionPayload[i]));
    }
    return new ContainerHeader(p, new ModelId(modelId, weightsHash), g, ext);
  }

  static long crc32c(byte[] b, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(b, off, len);
    return c.getValue();
  }

  // Messages shared by the readers (conformance/README.md, "Mutation testing": describe* methods
  // are not mutated; no outcome of Annex C depends on them).

  /** {@code len} bytes from {@code off} in hex, for a message. */
  static String describeBytes(byte[] b, int off, int len) {
    return HexFormat.ofDelimiter(" ").formatHex(b, off, off + len);
  }

  /**
   * A stored CRC-32C at {@code crcAt} that does not match the one computed over what precedes it.
   */
  static String describeCrcMismatch(long stored, long computed, int crcAt, String section) {
    return String.format(
        "header_crc 0x%08X {at} does not match 0x%08X computed "
            + "over bytes 0..%d: the header is damaged (%s)",
        stored, computed, crcAt - 1, section);
  }

  static String describeProbModel(long id) {
    return "prob_model_id "
        + id
        + " {at}: "
        + (id == 1 ? "static frequency table (reserved, Spec §8.3.1)" : "reserved")
        + " is not supported by this decoder; v0 defines 0 (adaptive order-0), 2 (Gaussian-mixture"
        + " context prior) and 3 (two-stage model)";
  }
}
