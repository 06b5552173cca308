package io.vqcodec.tools.vectors;

import io.vqcodec.conformance.ErrorCategory;
import io.vqcodec.conformance.Manifest;
import io.vqcodec.conformance.VideoDump;
import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.GranularityMode;
import io.vqcodec.container.ModelId;
import io.vqcodec.container.PictureHeader;
import io.vqcodec.container.ProbabilityModel;
import io.vqcodec.container.Slice;
import io.vqcodec.container.TokenGridParams;
import io.vqcodec.container.VideoWriter;
import io.vqcodec.entropy.AdaptiveBinaryModel;
import io.vqcodec.entropy.RansEncoder;
import io.vqcodec.tokens.MotionField;
import io.vqcodec.tokens.SliceCoder;
import io.vqcodec.tokens.TokenGrid;
import io.vqcodec.tokens.TokenModel;
import io.vqcodec.tokens.TwoStagePrior;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import java.util.zip.CRC32C;

/**
 * The video vectors (Spec §10, profile 1): clips of synthetic token grids, key, predicted and
 * motion frames coded by the token layer's {@link SliceCoder} and framed here byte by byte (frame
 * headers, frame index, end code: Spec §10.3, §10.6), so that a frame header can carry any fault.
 * Their expected output is the canonical video serialisation of Spec §C.2.1 ({@link VideoDump}) of
 * the grids built here, with the frames and tokens Spec §10.5 and §10.7 make lost; the slices
 * column holds each frame's slice outcomes, frames separated by {@code ;}, a lost frame {@code
 * LOST}.
 */
final class VideoVectors {
  private static final GranularityMode MIXED = GranularityMode.MIXED;
  private static final GranularityMode COARSE = GranularityMode.ALL_COARSE;
  private static final GranularityMode FINE = GranularityMode.ALL_FINE;
  private static final ProbabilityModel PM0 = ProbabilityModel.ADAPTIVE_ORDER0;
  private static final ProbabilityModel PM2 = ProbabilityModel.GAUSSIAN_MIXTURE;
  private static final ProbabilityModel PM3 = ProbabilityModel.TWO_STAGE;
  private static final int KEY = 0, PREDICTED = 1, MOTION = 2;
  static final byte[] FRAME_SYNC = {'V', 'Q', 'C', 'F'};
  static final byte[] INDEX_SYNC = {'V', 'Q', 'C', 'I'};
  static final byte[] END_CODE = {'V', 'Q', 'C', 'E'};

  private final Path out;
  private final List<Manifest.Entry> entries;
  private final ModelId model;
  private final ModelId model3;
  private final TokenModel prior;
  private final TokenModel twoStage;

  /** tok-v2's model 7 (Spec §4.4) and its parameters with the temporal expert (§8.3.3.4). */
  private final ModelId modelTemporal;

  private final TwoStagePrior twoStageTemporal;

  /**
   * tok-v2f's model 10 (Spec §4.4): the video default, whose token models are model 7's; a clip of
   * it differs from a model-7 clip in its header alone.
   */
  private final ModelId modelFastTemporal;

  VideoVectors(
      Path out,
      List<Manifest.Entry> entries,
      ModelId model,
      ModelId model3,
      TokenModel prior,
      TokenModel twoStage,
      ModelId modelTemporal,
      TwoStagePrior twoStageTemporal,
      ModelId modelFastTemporal) {
    this.out = out;
    this.entries = entries;
    this.model = model;
    this.model3 = model3;
    this.prior = prior;
    this.twoStage = twoStage;
    this.modelTemporal = modelTemporal;
    this.twoStageTemporal = twoStageTemporal;
    this.modelFastTemporal = modelFastTemporal;
  }

  // ---------------------------------------------------------------- a clip under construction

  /** A frame as written: its header fields and payloads, and whether the index lists it. */
  private static final class Frame {
    long number;
    int type;
    List<Slice> slices;
    boolean indexed;

    /** Applied to the frame's bytes once built (header and payloads): a fault. */
    java.util.function.UnaryOperator<byte[]> edit = b -> b;
  }

  /** A video: header parameters, frames, and what a conforming decoder outputs. */
  private final class Clip {
    final int width, height, k, sliceRows;
    final GranularityMode mode;
    final ProbabilityModel pm;
    int frameCount = -1; // -1: the number of frames written
    int rateNum = 25, rateDen = 1;
    boolean motion;

    /** Compact frame headers (Spec §9.6.3): the header carries the type-3 block. */
    boolean compact;

    /**
     * Coded with model 7's two-stage parameters and their temporal expert (K = 4096), and half of
     * the tokens that {@link #changeSome} changes stay in their reference's group.
     */
    boolean temporal;

    /** The header's model id where it is not the one {@link #pm} and {@link #temporal} imply. */
    ModelId modelId;

    final List<Frame> frames = new ArrayList<>();

    /** What a conforming decoder outputs per frame, in frame_number order. */
    final List<Out> outs = new ArrayList<>();

    TokenGrid reference; // the encoder's reference: the last frame coded
    SplittableRandom rnd;

    Clip(int width, int height, int k, GranularityMode mode, ProbabilityModel pm, int sliceRows) {
      this.width = width;
      this.height = height;
      this.k = k;
      this.mode = mode;
      this.pm = pm;
      this.sliceRows = sliceRows;
      this.rnd =
          new SplittableRandom(width * 31L + height * 7L + k + mode.ordinal() * 3L + pm.ordinal());
    }

    TokenModel params() {
      if (temporal) return twoStageTemporal;
      return pm == PM0 ? null : pm == PM2 ? prior : twoStage;
    }

    int cellsWide() {
      return (width + 15) / 16;
    }

    int cellsHigh() {
      return (height + 15) / 16;
    }

    int slices() {
      return SliceCoder.sliceRowCounts(cellsHigh(), sliceRows).length;
    }

    /** Appends a frame coded from {@code payloads}; returns it for edits. */
    Frame add(int type, List<byte[]> payloads) {
      Frame f = new Frame();
      f.number = frames.size();
      f.type = type;
      f.slices = new ArrayList<>(SliceCoder.slices(payloads, cellsHigh(), sliceRows));
      f.indexed = type == KEY;
      frames.add(f);
      return f;
    }

    /** A key frame of fresh random tokens, decoded as coded. */
    TokenGrid key() {
      TokenGrid g = random();
      code(KEY, g, null, null, null);
      expect(g);
      return g;
    }

    /** A predicted frame against the current reference, decoded as coded. */
    TokenGrid predicted() {
      boolean[] skip = new boolean[cellsWide() * cellsHigh()];
      TokenGrid g = predictedGrid(reference, skip);
      code(PREDICTED, g, reference, skip, null);
      expect(g);
      return g;
    }

    /** A motion frame against the current reference, decoded as coded. */
    TokenGrid motion() {
      MotionField m = new MotionField(cellsWide(), cellsHigh());
      TokenGrid g = motionGrid(reference, m);
      code(MOTION, g, reference, null, m);
      expect(g);
      return g;
    }

    Frame code(int type, TokenGrid g, TokenGrid ref, boolean[] skip, MotionField m) {
      List<byte[]> p =
          type == KEY
              ? SliceCoder.encodeSlices(params(), g, sliceRows, mode)
              : type == PREDICTED
                  ? SliceCoder.encodeSlices(params(), g, ref, skip, sliceRows, mode)
                  : SliceCoder.encodeSlices(params(), g, ref, m, sliceRows, mode);
      reference = g;
      return add(type, p);
    }

    void expect(TokenGrid g) {
      outs.add(new Out(g, String.join(",", java.util.Collections.nCopies(slices(), "DECODED"))));
    }

    TokenGrid random() {
      TokenGrid g = new TokenGrid(width, height, k);
      for (int cy = 0; cy < g.cellsHigh(); cy++) {
        for (int cx = 0; cx < g.cellsWide(); cx++) newCell(g, cx, cy);
      }
      return g;
    }

    /** Gives the cell a granularity the mode allows and fresh tokens. */
    void newCell(TokenGrid g, int cx, int cy) {
      boolean fine = mode == FINE || (mode == MIXED && rnd.nextBoolean());
      g.setFine(cx, cy, fine);
      if (fine) {
        for (int q = 0; q < 4; q++)
          g.setFineToken(2 * cx + (q & 1), 2 * cy + (q >> 1), rnd.nextInt(k));
      } else {
        g.setCoarseToken(cx, cy, rnd.nextInt(k));
      }
    }

    /**
     * A frame like {@code ref}: per cell one of skipped, identical but coded (every same flag 1),
     * some tokens changed (same flags 0 and 1), coded anew (in mixed mode possibly with the other
     * granularity, so without same flags); the first five cells take these kinds in turn.
     */
    TokenGrid predictedGrid(TokenGrid ref, boolean[] skip) {
      TokenGrid g = ref.copy();
      for (int cy = 0; cy < g.cellsHigh(); cy++) {
        for (int cx = 0; cx < g.cellsWide(); cx++) {
          int i = cy * g.cellsWide() + cx;
          int kind = i < 5 ? i : rnd.nextInt(5);
          switch (kind) {
            case 0, 1 -> skip[i] = true;
            case 2 -> {}
            case 3 -> changeSome(g, cx, cy);
            default -> newCell(g, cx, cy);
          }
        }
      }
      return g;
    }

    void changeSome(TokenGrid g, int cx, int cy) {
      if (g.isFine(cx, cy)) {
        g.setFineToken(2 * cx + 1, 2 * cy, changed(g.fineToken(2 * cx + 1, 2 * cy)));
        g.setFineToken(2 * cx, 2 * cy + 1, changed(g.fineToken(2 * cx, 2 * cy + 1)));
      } else {
        g.setCoarseToken(cx, cy, changed(g.coarseToken(cx, cy)));
      }
    }

    /**
     * A token other than {@code t}; in a {@link #temporal} clip half of the time another codeword
     * of its group (Spec §8.3.3.4: stage 2 with the reference in the group, its rank excluded).
     */
    int changed(int t) {
      if (t == TokenGrid.LOST) return rnd.nextInt(k); // over a lost reference: any token
      if (temporal && rnd.nextBoolean()) {
        TwoStagePrior.Level lv = twoStageTemporal.level(k);
        int[] m = lv.members(lv.group(t));
        if (m.length > 1) return m[(lv.rank(t) + 1 + rnd.nextInt(m.length - 1)) % m.length];
      }
      return (t + 1 + rnd.nextInt(k - 1)) % k;
    }

    /**
     * A frame from {@code ref} with every cell mode of Spec §10.9: the top-left block of cells
     * moved (so that vectors are predicted from one, two and three neighbours, Spec §10.9.2), even
     * and (except all-coarse) odd vectors, skipped, identical but coded, changed and new cells.
     */
    TokenGrid motionGrid(TokenGrid ref, MotionField m) {
      TokenGrid g = ref.copy();
      int cw = g.cellsWide(), ch = g.cellsHigh();
      for (int cy = 0; cy < ch; cy++) {
        for (int cx = 0; cx < cw; cx++) {
          int i = cy * cw + cx;
          boolean block = cy < 2 && cx < 3;
          int kind = block ? 1 : i % 6 == 0 ? 0 : rnd.nextInt(6);
          switch (kind) {
            case 0 -> m.setSkip(cx, cy);
            case 1, 2 -> {
              boolean odd = kind == 2 && mode != COARSE;
              for (int tries = 0; tries < 100; tries++) {
                int vx = rnd.nextInt(-4, 5), vy = rnd.nextInt(-4, 5);
                if (mode == COARSE || !odd) {
                  vx &= ~1;
                  vy &= ~1;
                } else if (((vx | vy) & 1) == 0) {
                  vx |= 1;
                }
                if ((vx | vy) != 0 && MotionField.sourceInside(cw, ch, cx, cy, vx, vy)) {
                  m.setMotion(cx, cy, vx, vy);
                  MotionField.copy(ref, g, cx, cy, vx, vy);
                  break;
                }
              }
            }
            case 3 -> {}
            case 4 -> changeSome(g, cx, cy);
            default -> newCell(g, cx, cy);
          }
        }
      }
      return g;
    }

    /** The file: header, frames (each edited), and, unless {@code noIndex}, index and end code. */
    byte[] bytes(boolean index) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.writeBytes(header());
      List<long[]> keys = new ArrayList<>();
      for (Frame f : frames) {
        if (f.indexed) keys.add(new long[] {f.number, b.size()});
        b.writeBytes(f.edit.apply(frameBytes(f.number, f.type, f.slices, compact)));
      }
      if (index) {
        b.writeBytes(indexBytes(keys));
        b.writeBytes(END_CODE);
      }
      return b.toByteArray();
    }

    byte[] header() throws IOException {
      int count = frameCount >= 0 ? frameCount : frames.size();
      ContainerHeader h =
          new ContainerHeader(
              PictureHeader.video(width, height, ChannelFormat.RGB, count, rateNum, rateDen),
              modelId != null ? modelId : temporal ? modelTemporal : pm == PM3 ? model3 : model,
              new TokenGridParams(k, mode, pm),
              compact ? List.of(ContainerHeader.compactFrameHeaders()) : List.of());
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      new VideoWriter(b, h, motion); // writes header() at once
      return b.toByteArray();
    }

    /** The numbers of the frames the index lists. */
    long[] indexed() {
      List<Long> n = new ArrayList<>();
      for (Frame f : frames) if (f.indexed) n.add(f.number);
      return n.stream().mapToLong(Long::longValue).toArray();
    }

    /** Offset of frame {@code i}'s frame_sync in {@link #bytes}. */
    int offset(int i) throws IOException {
      int o = header().length;
      for (int j = 0; j < i; j++) {
        Frame f = frames.get(j);
        o += f.edit.apply(frameBytes(f.number, f.type, f.slices, compact)).length;
      }
      return o;
    }
  }

  /**
   * One frame of a decoder's output: its grid and slice outcomes (comma-separated), or lost.
   *
   * @param grid null if the frame is lost
   */
  private record Out(TokenGrid grid, String slices) {
    static final Out LOST = new Out(null, "LOST");
  }

  private static boolean[] all(int n) {
    boolean[] b = new boolean[n];
    Arrays.fill(b, true);
    return b;
  }

  // ---------------------------------------------------------------- bytes of Spec §10.3 and §10.6

  /** frame_header() of Spec §10.3 with frame_header_size and frame_header_crc consistent. */
  static byte[] frameHeader(long number, int type, List<Slice> slices) {
    ByteArrayOutputStream d = new ByteArrayOutputStream();
    d.writeBytes(HeaderEditor.varint(number));
    d.write(type);
    d.writeBytes(HeaderEditor.varint(slices.size()));
    for (Slice s : slices) {
      d.writeBytes(HeaderEditor.varint(s.firstRow()));
      d.writeBytes(HeaderEditor.varint(s.rowCount()));
      d.writeBytes(HeaderEditor.varint(s.payloadSize()));
      d.writeBytes(HeaderEditor.be(crc(s.payload()), 4));
    }
    byte[] body = d.toByteArray();
    int size = 8 + body.length + 4;
    byte[] h = new byte[size];
    System.arraycopy(FRAME_SYNC, 0, h, 0, 4);
    System.arraycopy(HeaderEditor.be(size, 4), 0, h, 4, 4);
    System.arraycopy(body, 0, h, 8, body.length);
    fixCrc(h);
    return h;
  }

  /**
   * The compact frame_header() of Spec §10.3 (§9.6.3): frame_header_size a varint that counts
   * itself, no first_row, no row_count for the last slice; size and CRC consistent.
   */
  static byte[] compactFrameHeader(long number, int type, List<Slice> slices) {
    ByteArrayOutputStream d = new ByteArrayOutputStream();
    d.writeBytes(HeaderEditor.varint(number));
    d.write(type);
    d.writeBytes(HeaderEditor.varint(slices.size()));
    for (int i = 0; i < slices.size(); i++) {
      Slice s = slices.get(i);
      if (i < slices.size() - 1) d.writeBytes(HeaderEditor.varint(s.rowCount()));
      d.writeBytes(HeaderEditor.varint(s.payloadSize()));
      d.writeBytes(HeaderEditor.be(crc(s.payload()), 4));
    }
    byte[] body = d.toByteArray();
    int size = 4 + 1 + body.length + 4;
    while (4 + HeaderEditor.varint(size).length + body.length + 4 != size) {
      size = 4 + HeaderEditor.varint(size).length + body.length + 4;
    }
    return compactHeader(HeaderEditor.varint(size), body);
  }

  /** frame_sync, the bytes {@code sizeField} as frame_header_size, {@code body}, and the CRC. */
  static byte[] compactHeader(byte[] sizeField, byte[] body) {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    h.writeBytes(FRAME_SYNC);
    h.writeBytes(sizeField);
    h.writeBytes(body);
    h.writeBytes(HeaderEditor.be(crc(h.toByteArray()), 4));
    return h.toByteArray();
  }

  /** The frame_header_size of the compact frame header at the start of {@code frame}. */
  static int compactHeaderSize(byte[] frame) {
    int size = 0;
    for (int i = 0; ; i++) {
      int b = frame[4 + i] & 0xFF;
      size |= (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) return size;
    }
  }

  static byte[] frameBytes(long number, int type, List<Slice> slices, boolean compact) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(
        compact ? compactFrameHeader(number, type, slices) : frameHeader(number, type, slices));
    for (Slice s : slices) b.writeBytes(s.payload());
    return b.toByteArray();
  }

  /** Recomputes the frame_header_crc of the frame header at the start of {@code b}. */
  static void fixCrc(byte[] b) {
    int size = (int) HeaderEditor.u(Arrays.copyOfRange(b, 4, 8));
    System.arraycopy(HeaderEditor.be(crc(Arrays.copyOf(b, size - 4)), 4), 0, b, size - 4, 4);
  }

  static long crc(byte[] b) {
    CRC32C c = new CRC32C();
    c.update(b);
    return c.getValue();
  }

  /** frame_index() of Spec §10.6. */
  static byte[] indexBytes(List<long[]> keys) {
    ByteArrayOutputStream d = new ByteArrayOutputStream();
    d.writeBytes(INDEX_SYNC);
    d.writeBytes(HeaderEditor.varint(keys.size()));
    for (long[] e : keys) {
      d.writeBytes(HeaderEditor.varint(e[0]));
      d.writeBytes(HeaderEditor.varint(e[1]));
    }
    byte[] body = d.toByteArray();
    d.writeBytes(HeaderEditor.be(crc(body), 4));
    d.writeBytes(HeaderEditor.be(body.length + 4, 4));
    return d.toByteArray();
  }

  // ---------------------------------------------------------------- manifest entries

  private static String pmName(ProbabilityModel pm) {
    return pm == PM0 ? "pm0" : pm == PM2 ? "pm2" : "pm3";
  }

  private static String sec(ProbabilityModel pm) {
    return pm == PM0 ? "§8.2" : pm == PM2 ? "§8.3.2" : "§8.3.3";
  }

  /**
   * A decodable video vector: {@code outs} per frame, then the index ({@code index} null: none
   * reached) with each entry's usability.
   */
  private void decodes(
      String name,
      Clip c,
      byte[] b,
      List<Out> outs,
      long[] index,
      boolean[] usable,
      String endCode,
      String sections,
      String description)
      throws IOException {
    VideoDump dump = new VideoDump();
    List<String> slices = new ArrayList<>();
    for (Out o : outs) {
      if (o.grid == null) dump.lost();
      else dump.frame(o.grid);
      slices.add(o.slices);
    }
    if (index == null) dump.noIndex();
    else dump.index(index, usable);
    String file = name + ".vqc";
    Files.write(out.resolve(file), b);
    entries.add(
        Manifest.Entry.decoded(
            file, b, String.join(";", slices), endCode, dump.sha256(), sections, description));
  }

  /** A clip whose frames all decode, with its index and end code. */
  private void valid(String name, Clip c, String sections, String description) throws IOException {
    long[] index = c.indexed();
    decodes(name, c, c.bytes(true), c.outs, index, all(index.length), "ok", sections, description);
  }

  private void refuses(
      String name, byte[] b, String category, long offset, String sections, String description)
      throws IOException {
    String file = name + ".vqc";
    Files.write(out.resolve(file), b);
    entries.add(Manifest.Entry.refusal(file, b, category, offset, sections, description));
  }

  // ---------------------------------------------------------------- the vectors

  void generate() throws IOException {
    decodable();
    concealed();
    refused();
    compactFrameHeaders();
  }

  private Clip clip(ProbabilityModel pm) {
    return new Clip(64, 64, 256, MIXED, pm, 2);
  }

  /** A clip of model 7: K = 4096, the two-stage model with its temporal expert. */
  private Clip temporalClip(int width, int height) {
    Clip c = new Clip(width, height, 4096, MIXED, PM3, 2);
    c.temporal = true;
    return c;
  }

  private void decodable() throws IOException {
    Clip c = clip(PM0);
    c.key();
    valid(
        "video-key-only-pm0",
        c,
        "§10.1 §10.2 §10.3 §10.6 §6.3 §8.2",
        "one key frame, 4x4 cells in two slices, frame index with one entry");
    for (ProbabilityModel pm : List.of(PM0, PM2, PM3)) {
      c = clip(pm);
      c.key();
      c.predicted();
      c.predicted();
      c.predicted();
      valid(
          "video-predicted-" + pmName(pm),
          c,
          "§10.3 §10.4 §10.5 §10.6 " + sec(pm),
          "key frame and three predicted frames: skipped cells, coded cells whose same flags are all"
              + " 1, some 1, none (another granularity, no flags)");
      c = new Clip(96, 64, 256, MIXED, pm, 2);
      c.motion = true;
      c.key();
      c.motion();
      c.predicted();
      c.motion();
      valid(
          "video-motion-" + pmName(pm),
          c,
          "§10.2 §10.3 §10.4 §10.5 §10.9 §10.9.1 §10.9.2 §10.9.3 §10.9.4 " + sec(pm),
          "version_minor 3: key, motion, predicted, motion frames; motion cells with even and odd"
              + " vectors predicted from 0 to 3 neighbours, skipped and coded cells");
    }
    // Model 7 (Spec §4.4): tok-v2's two-stage parameters with the temporal expert (§8.3.3.4)
    c = temporalClip(64, 64);
    c.key();
    c.predicted();
    c.predicted();
    c.predicted();
    valid(
        "video-predicted-pm3-temporal",
        c,
        "§10.3 §10.4 §10.5 §8.3.3.2 §8.3.3.4 §8.3.3.5 §4.4",
        "model 7, K = 4096: key frame and three predicted frames; in slices with temporal_on 1,"
            + " tokens whose same flag is 0 coded with the reference token's group (stage1_cdf_t),"
            + " half of them in the reference's group (stage2_cdf_t, the reference's rank"
            + " excluded); escaped slices (no temporal_on)");
    // Model 10, the video default: model 7's token models under tok-v2f's weights (Spec §4.4)
    c = temporalClip(64, 48);
    c.modelId = modelFastTemporal;
    c.key();
    c.predicted();
    c.predicted();
    valid(
        "video-predicted-pm3-model-10",
        c,
        "§4.4 §10.3 §10.4 §8.3.3.4 §8.3.3.5",
        "model 10 (tok-v2f, the reference encoder's default for video), K = 4096: key frame and two"
            + " predicted frames coded with model 7's parameters, temporal expert included");
    c = temporalClip(96, 64);
    c.motion = true;
    c.key();
    c.motion();
    c.predicted();
    c.motion();
    valid(
        "video-motion-pm3-temporal",
        c,
        "§10.9.1 §10.4 §10.5 §8.3.3.4 §8.3.3.5 §4.4",
        "model 7, K = 4096: key, motion, predicted, motion frames; the coded cells of motion frames"
            + " take the co-located reference token as context, as predicted frames do; slices with"
            + " temporal_on 1 and 0, and escaped ones");
    for (GranularityMode mode : List.of(COARSE, FINE)) {
      String m = mode == COARSE ? "all-coarse" : "all-fine";
      ProbabilityModel pm = mode == COARSE ? PM0 : PM2;
      c = new Clip(96, 48, 64, mode, pm, 1);
      c.motion = true;
      c.key();
      c.predicted();
      c.motion();
      valid(
          "video-" + m + "-" + pmName(pm),
          c,
          "§10.4 §10.9.1 §10.9.3 §10.9.4 §6.5 " + sec(pm),
          "granularity_mode "
              + (mode == COARSE ? "1: even vectors, copies coarse" : "2: copies fine")
              + "; key, predicted, motion frames, three 1-row slices");
    }
    c = clip(PM0);
    c.key();
    c.predicted();
    c.key();
    c.predicted();
    c.key();
    valid(
        "video-three-keys-pm0",
        c,
        "§10.3 §10.5 §10.6",
        "key, predicted, key, predicted, key: a frame index with three entries");
    // An index of more than 1024 entries (Spec §10.6): a reader that allocates a first block of
    // 1024 and grows it as entries arrive (FrameIndex) grows it once. Frames of 1x1 pixels (one
    // cell, one slice), the smallest Annex A allows, keep the file small.
    c = new Clip(1, 1, 256, MIXED, PM0, 1);
    for (int i = 0; i < 1025; i++) c.key();
    valid(
        "video-1025-keys-pm0",
        c,
        "§10.3 §10.6",
        "1025 key frames of 1x1 pixels: a frame index with 1025 entries, past a first block of"
            + " 1024");
    c = clip(PM0);
    c.frameCount = 0;
    c.key();
    c.predicted();
    valid(
        "video-frame-count-0-pm0",
        c,
        "§10.2 §A.6",
        "frame_count 0 (not known when the header was written), two frames");
    c = clip(PM0);
    c.frameCount = 1 << 24;
    c.key();
    c.predicted();
    valid(
        "video-frame-count-max-pm0",
        c,
        "§10.2 §A.6",
        "frame_count 2^24 (MAX_FRAMES), two frames arrive: decoded (fewer frames than the count are"
            + " a warning at most)");
    c = clip(PM0);
    c.rateNum = 1 << 20;
    c.rateDen = 1 << 20;
    c.key();
    valid(
        "video-frame-rate-max-pm0",
        c,
        "§10.2 §A.6",
        "frame_rate_num and frame_rate_den 2^20, the largest allowed");
    c = clip(PM0);
    c.rateNum = 1;
    c.rateDen = 1;
    c.key();
    valid(
        "video-frame-rate-min-pm0",
        c,
        "§10.2 §A.6",
        "frame_rate_num and frame_rate_den 1, the smallest allowed");
    // Vectors of MAX_MV each way (Spec §10.9.3, at the limit): 12 cells wide.
    c = new Clip(192, 32, 64, MIXED, PM0, 1);
    c.motion = true;
    TokenGrid ref = c.key();
    MotionField mf = new MotionField(12, 2);
    TokenGrid g = ref.copy();
    int[][] mv = {{0, 0, 16, 0}, {11, 0, -16, 0}, {3, 0, 16, 2}, {6, 1, -12, -2}, {3, 1, 15, -1}};
    for (int[] v : mv) {
      mf.setMotion(v[0], v[1], v[2], v[3]);
      MotionField.copy(ref, g, v[0], v[1], v[2], v[3]);
    }
    c.code(MOTION, g, ref, null, mf);
    c.expect(g);
    valid(
        "video-mv-max-pm0",
        c,
        "§10.9.3 §10.9.4",
        "motion vectors (16,0) and (-16,0), MAX_MV each way, (16,2), (-12,-2), (15,-1)");
    // A vector difference of 2 * MAX_MV (Spec §10.9.3, the longest decode_mvd): cell (7,0) moves
    // by (16,0), and cell (8,0), predicted from it, by (-16,0).
    c = new Clip(256, 160, 64, MIXED, PM0, 10);
    c.motion = true;
    ref = c.key();
    mf = new MotionField(16, 10);
    g = ref.copy();
    int[][] far = {{7, 0, 16, 0}, {8, 0, -16, 0}, {8, 1, -16, -1}, {3, 0, 0, 16}, {12, 9, 0, -16}};
    for (int[] v : far) {
      mf.setMotion(v[0], v[1], v[2], v[3]);
      MotionField.copy(ref, g, v[0], v[1], v[2], v[3]);
    }
    c.code(MOTION, g, ref, null, mf);
    c.expect(g);
    valid(
        "video-mvd-max-pm0",
        c,
        "§10.9.2 §10.9.3 §10.9.4",
        "motion vector differences of 2 * MAX_MV: (16,0) at cell (7,0), then (-16,0) at cell (8,0)"
            + " predicted from it (mvd -32, a magnitude with no more flag after it); vertical"
            + " vectors (0,16) and (0,-16), MAX_MV each way");
    // A slice payload larger than the reader's first buffer of 64 KiB (Spec §5.3, §A.2).
    c = new Clip(4096, 1024, 4096, FINE, PM0, 64);
    c.key();
    valid(
        "video-large-payload-pm0",
        c,
        "§10.3 §5.3 §A.2",
        "one key frame of 4096x1024 pixels, all fine, K=4096, random tokens, in one slice: a payload"
            + " of about 96 KiB");
  }

  // ---------------------------------------------------------------- lost frames and slices

  /** A fault of frame 1's header or type, which loses the frame (Spec §10.3, §10.7). */
  private record Fault(
      String name, String sections, String description, java.util.function.Consumer<Frame> edit) {}

  /**
   * One vector per fault: key, predicted, predicted, the fault applied to frame 1, which is lost;
   * frame 2 is predicted from frame 0 (Spec §10.5). {@code compact}: compact frame headers.
   */
  private void lostFrameOne(List<Fault> faults, boolean compact) throws IOException {
    for (Fault fault : faults) {
      Clip c = clip(PM0);
      c.compact = compact;
      TokenGrid f0 = c.key();
      c.predicted();
      c.reference = f0; // Spec §10.5: frame 2 refers to the last frame decoded, frame 0
      c.predicted();
      fault.edit.accept(c.frames.get(1));
      decodes(
          fault.name,
          c,
          c.bytes(true),
          List.of(c.outs.get(0), Out.LOST, c.outs.get(2)),
          new long[] {0},
          all(1),
          "ok",
          fault.sections,
          fault.description);
    }
  }

  private void concealed() throws IOException {
    List<Fault> faults =
        List.of(
            new Fault(
                "video-frame-crc-damaged-pm0",
                "§10.3 §10.5 §10.7",
                "frame 1's frame_header_crc does not match: frame 1 lost, frame 2 predicted from"
                    + " frame 0",
                f -> f.edit = b -> flip(b, frameHeaderSize(b) - 1)),
            new Fault(
                "video-frame-sync-damaged-pm0",
                "§10.3 §10.5 §10.7",
                "frame 1's frame_sync reads VQCG: frame 1 lost, frame 2 predicted from frame 0",
                f -> f.edit = b -> set(b, 3, 'G')),
            new Fault(
                "video-frame-header-size-13-pm0",
                "§10.3 §10.7 §A.6",
                "frame 1's frame_header_size 13, one below the least: frame 1 lost",
                f -> f.edit = b -> setU32(b, 4, 13)),
            new Fault(
                "video-frame-header-size-65537-pm0",
                "§10.3 §10.7 §A.6",
                "frame 1's frame_header_size 65537, one past MAX_FRAME_HEADER_SIZE: frame 1 lost",
                f -> f.edit = b -> setU32(b, 4, 65537)),
            new Fault(
                "video-frame-header-size-past-crc-pm0",
                "§10.3 §10.7",
                "frame 1's frame_header_size one more than its header (frame_header_crc then read"
                    + " one byte late): frame 1 lost",
                f -> f.edit = b -> setU32(b, 4, frameHeaderSize(b) + 1)),
            new Fault(
                "video-frame-number-past-pm0",
                "§10.3 §10.7 §A.6",
                "frame 1's frame_number 2^24, one past MAX_FRAMES - 1 (CRC consistent): frame 1"
                    + " lost",
                f -> f.number = 1L << 24),
            new Fault(
                "video-frame-number-repeated-pm0",
                "§10.3 §10.7",
                "frame 1 numbered 0 again (CRC consistent): not the next frame, lost",
                f -> f.number = 0),
            new Fault(
                "video-frame-type-reserved-pm0",
                "§10.3 §10.5 §10.7",
                "frame 1's frame_type 3 (reserved, CRC consistent): frame 1 lost, frame 2"
                    + " predicted from frame 0",
                f -> f.type = 3),
            new Fault(
                "video-frame-type-motion-minor-2-pm0",
                "§10.2 §10.3 §10.9.5",
                "frame 1's frame_type 2 in a version_minor 2 stream (reserved there, CRC"
                    + " consistent): frame 1 lost",
                f -> f.type = 2),
            new Fault(
                "video-frame-slice-count-past-pm0",
                "§10.3 §10.7 §5.2",
                "frame 1's slice_count 3 where its directory has 2 entries (CRC consistent):"
                    + " frame 1 lost",
                f -> f.edit = b -> setSliceCount(b, 3)));
    lostFrameOne(faults, false);

    // Frame 1 never written: a gap in frame_number (Spec §10.3, §10.7); the header counts it.
    Clip c = clip(PM0);
    c.frameCount = 3;
    TokenGrid f0 = c.key();
    c.predicted();
    c.reference = f0;
    c.predicted();
    c.frames.remove(1);
    decodes(
        "video-frame-missing-pm0",
        c,
        c.bytes(true),
        List.of(c.outs.get(0), Out.LOST, c.outs.get(2)),
        new long[] {0},
        all(1),
        "ok",
        "§10.3 §10.5 §10.7",
        "frames 0 and 2 only (frame 1 never written): frame 1 lost, frame 2 predicted from frame 0");

    // The first frame predicted: it has no reference and is lost (Spec §10.5); then a key frame.
    c = clip(PM0);
    c.reference = c.random();
    c.predicted();
    c.key();
    c.predicted();
    decodes(
        "video-first-frame-predicted-pm0",
        c,
        c.bytes(true),
        List.of(Out.LOST, c.outs.get(1), c.outs.get(2)),
        new long[] {1},
        all(1),
        "ok",
        "§10.3 §10.5 §10.7",
        "the first frame is predicted (no frame before it, so no reference): lost; key frame 1"
            + " and predicted frame 2 decode");

    // The first key frame's header damaged: the predicted frames after it have no reference
    // until the next key frame; the index entry of frame 0 points at a header that fails.
    c = clip(PM0);
    c.key();
    c.predicted();
    c.predicted();
    c.key();
    c.predicted();
    c.frames.get(0).edit = b -> flip(b, frameHeaderSize(b) - 1);
    decodes(
        "video-key-frame-lost-pm0",
        c,
        c.bytes(true),
        List.of(Out.LOST, Out.LOST, Out.LOST, c.outs.get(3), c.outs.get(4)),
        new long[] {0, 3},
        new boolean[] {false, true},
        "ok",
        "§10.3 §10.5 §10.6 §10.7",
        "key frame 0's frame_header_crc damaged: frames 0 to 2 lost (1 and 2 have no reference),"
            + " key frame 3 and frame 4 decode; index entry 0 is not usable");

    lostReference();
    lostReferenceTemporal();

    // frame_count 2 and three frames: the third and what follows are trailing data (Spec §10.2).
    c = clip(PM0);
    c.frameCount = 2;
    c.key();
    c.predicted();
    c.predicted();
    decodes(
        "video-frames-beyond-count-pm0",
        c,
        c.bytes(true),
        c.outs.subList(0, 2),
        null,
        null,
        "warn",
        "§10.2 §2.6",
        "frame_count 2 and three frames: the third frame and the index after it are trailing"
            + " data");

    // A stream cut inside a frame's payload and inside a frame header.
    c = clip(PM0);
    c.key();
    c.predicted();
    c.predicted();
    byte[] b = c.bytes(true);
    int f2 = c.offset(2);
    int h2 = frameHeaderSize(Arrays.copyOfRange(b, f2, b.length));
    int cut = f2 + h2 + c.frames.get(2).slices.get(0).payloadSize() / 2;
    decodes(
        "video-truncated-payload-pm0",
        c,
        Arrays.copyOf(b, cut),
        List.of(
            c.outs.get(0),
            c.outs.get(1),
            new Out(lose(c.outs.get(2).grid, 0, 4, MIXED), "TRUNCATED,MISSING")),
        null,
        null,
        "warn",
        "§10.3 §5.4 §5.5 §10.1",
        "the stream ends inside frame 2's first payload: its slices TRUNCATED and MISSING, no"
            + " index");
    decodes(
        "video-truncated-frame-header-pm0",
        c,
        Arrays.copyOf(b, f2 + h2 - 3),
        c.outs.subList(0, 2),
        null,
        null,
        "warn",
        "§10.3 §10.7",
        "the stream ends inside frame 2's header: frames 0 and 1, no index");

    // Frame index faults: every frame decodes; the index is ignored or an entry is not usable.
    c = clip(PM0);
    c.key();
    c.predicted();
    c.key();
    b = c.bytes(true);
    int idx = c.offset(3);
    long off0 = c.offset(0), off1 = c.offset(1), off2 = c.offset(2);
    byte[] bad = b.clone();
    flip(bad, bad.length - 9); // the last byte of index_crc
    decodes(
        "video-index-crc-damaged-pm0",
        c,
        bad,
        c.outs,
        null,
        null,
        "warn",
        "§10.6",
        "index_crc does not match: the index is ignored; every frame decodes");
    decodes(
        "video-index-offset-wrong-pm0",
        c,
        concat(
            Arrays.copyOf(b, idx),
            indexBytes(List.of(new long[] {0, off0}, new long[] {2, off1})),
            END_CODE),
        c.outs,
        new long[] {0, 2},
        new boolean[] {true, false},
        "ok",
        "§10.6",
        "the index entry of key frame 2 holds frame 1's offset: that entry is not usable");
    decodes(
        "video-index-lists-predicted-pm0",
        c,
        concat(
            Arrays.copyOf(b, idx),
            indexBytes(List.of(new long[] {0, off0}, new long[] {1, off1}, new long[] {2, off2})),
            END_CODE),
        c.outs,
        new long[] {0, 1, 2},
        new boolean[] {true, false, true},
        "ok",
        "§10.6",
        "the index also lists predicted frame 1 at its offset: frame_type is not 0, that entry is"
            + " not usable");
    decodes(
        "video-index-not-increasing-pm0",
        c,
        concat(
            Arrays.copyOf(b, idx),
            indexBytes(List.of(new long[] {2, off2}, new long[] {0, off0})),
            END_CODE),
        c.outs,
        null,
        null,
        "warn",
        "§10.6",
        "key_frame_number 2 then 0 (CRC consistent): the index fails its checks and is ignored");
    decodes(
        "video-index-missing-pm0",
        c,
        concat(Arrays.copyOf(b, idx), END_CODE),
        c.outs,
        null,
        null,
        "warn",
        "§10.1 §10.6 §2.6",
        "no frame index, the end code right after the last frame: every frame decodes");
    decodes(
        "video-index-no-end-code-pm0",
        c,
        Arrays.copyOf(b, b.length - END_CODE.length),
        c.outs,
        c.indexed(),
        all(c.indexed().length),
        "warn",
        "§10.6 §2.6",
        "the stream ends right after index_size, without the end code: the index is read and"
            + " every entry usable; the missing end code is a warning");
    decodes(
        "video-index-truncated-pm0",
        c,
        Arrays.copyOf(b, b.length - END_CODE.length - 2),
        c.outs,
        null,
        null,
        "warn",
        "§10.6 §2.6",
        "the stream ends two bytes into index_size: the index is ignored; every frame decodes");
    decodes(
        "video-index-repeated-pm0",
        c,
        concat(
            Arrays.copyOf(b, idx),
            indexBytes(List.of(new long[] {0, off0}, new long[] {0, off0})),
            END_CODE),
        c.outs,
        null,
        null,
        "warn",
        "§10.6",
        "key_frame_number 0 twice (CRC consistent): numbers must increase, so the index fails its"
            + " checks and is ignored");

    // frame_count 3, frames 0 and 1, then a frame numbered 3: at or past the count, so it and what
    // follows are trailing data (Spec §10.2), and frame 2 is not lost (never reached).
    c = clip(PM0);
    c.frameCount = 3;
    c.key();
    c.predicted();
    c.predicted();
    c.frames.get(2).number = 3;
    decodes(
        "video-frame-number-at-count-pm0",
        c,
        c.bytes(true),
        c.outs.subList(0, 2),
        null,
        null,
        "warn",
        "§10.2 §10.7 §2.6",
        "frame_count 3; frames 0 and 1, then a frame numbered 3 (CRC consistent): trailing data,"
            + " as is the index after it");
    // frame_count 2, both frames, then three bytes that are no header, then the index: after the
    // last counted frame only an index may follow; anything else ends the frames (Spec §10.2).
    c = clip(PM0);
    c.frameCount = 2;
    c.key();
    c.predicted();
    b = c.bytes(true);
    idx = c.offset(2);
    decodes(
        "video-trailing-before-index-pm0",
        c,
        concat(Arrays.copyOf(b, idx), new byte[] {0, 0, 0}, Arrays.copyOfRange(b, idx, b.length)),
        c.outs,
        null,
        null,
        "warn",
        "§10.2 §2.6",
        "frame_count 2, both frames, then 3 zero bytes and the index: trailing data, the index is"
            + " not read");

    // Motion vectors against Spec §10.9.3: the slice is lost (UNDECODABLE, §6.6).
    badVector(
        "video-mv-beyond-max-pm0",
        MIXED,
        12,
        17,
        0,
        "a vector (17,0), one past MAX_MV, whose source would lie inside: slice 0 UNDECODABLE");
    badVector(
        "video-mv-outside-left-pm0",
        MIXED,
        4,
        -2,
        0,
        "cell (0,0) with vector (-2,0): its source lies left of the reference, slice 0"
            + " UNDECODABLE");
    badVector(
        "video-mv-outside-bottom-pm0",
        MIXED,
        4,
        0,
        3,
        "cell (0,0) of a 2-row grid with vector (0,3): fine rows 3 and 4 of 0..3, slice 0"
            + " UNDECODABLE");
    badVector(
        "video-mv-outside-right-pm0",
        MIXED,
        4,
        7,
        0,
        "cell (0,0) of a 4-cell-wide grid with vector (7,0): fine columns 7 and 8 of 0..7, slice"
            + " 0 UNDECODABLE");
    badVector(
        "video-mv-outside-top-pm0",
        MIXED,
        4,
        0,
        -1,
        "cell (0,0) with vector (0,-1): its source starts above the reference, slice 0"
            + " UNDECODABLE");
    badVector(
        "video-mv-odd-coarse-pm0",
        COARSE,
        4,
        1,
        0,
        "granularity_mode 1 with the odd vector (1,0), whose source lies inside: slice 0"
            + " UNDECODABLE");
  }

  /**
   * Model 7 over a lost reference (Spec §8.3.3.4: a token whose reference token is lost has no
   * reference token): frame 1's first slice damaged, frame 2 coding every cell of it anew, against
   * the decoder's reference (§10.5: fine cells of lost tokens, so fine cells carry same flags of 0
   * and their tokens no reference; the encoder keeps temporal_on 1 on the tie), and the second
   * slice with the expert on its real references.
   */
  private void lostReferenceTemporal() throws IOException {
    Clip c = temporalClip(64, 64);
    TokenGrid f1 = keyThenDamagedPredicted(c);
    TokenGrid ref = fineFirstSlice(f1, q -> TokenGrid.LOST);
    boolean[] skip = new boolean[16];
    TokenGrid f2 = c.predictedGrid(ref, skip);
    // One codeword repeated (cheap under the adaptive counts, so the slice is not escaped); cell
    // (3,1) coarse.
    for (int cy = 0; cy < 2; cy++) {
      for (int cx = 0; cx < 4; cx++) {
        skip[cy * 4 + cx] = false;
        boolean fine = cx != 3 || cy != 1;
        f2.setFine(cx, cy, fine);
        if (fine) {
          for (int q = 0; q < 4; q++) f2.setFineToken(2 * cx + (q & 1), 2 * cy + (q >> 1), 1000);
        } else {
          f2.setCoarseToken(cx, cy, 1000);
        }
      }
    }
    c.code(PREDICTED, f2, ref, skip, null);
    decodes(
        "video-lost-reference-pm3-temporal",
        c,
        c.bytes(true),
        List.of(
            c.outs.get(0),
            new Out(lose(f1, 0, 2, MIXED), "DAMAGED,DECODED"),
            new Out(f2, "DECODED,DECODED")),
        new long[] {0},
        all(1),
        "ok",
        "§10.4 §10.5 §5.5 §8.3.3.4 §8.3.3.5 §4.4",
        "model 7: frame 1's first slice damaged; frame 2 codes its cells anew over the lost"
            + " reference with temporal_on 1 (fine cells with same flags 0 and no reference token"
            + " for the expert, a coarse cell without same flags), its second slice with the"
            + " expert");
  }

  /**
   * A predicted frame's slice damaged (Spec §5.5), and the next frame skipping and coding cells
   * over its lost tokens: skipped cells copy lost tokens, a same flag 1 over a lost token gives a
   * lost token, and a lost reference cell counts as fine (Spec §10.5), so fine cells coded over it
   * carry same flags and coarse ones do not. prob_model_id 0, whose contexts do not look at
   * neighbouring tokens.
   */
  private void lostReference() throws IOException {
    Clip c = clip(PM0);
    TokenGrid f1 = keyThenDamagedPredicted(c);
    // The encoder's reference: frame 1 with its first slice's cells fine, of tokens that the coded
    // tokens of frame 2 differ from (the decoder's reference has lost tokens there).
    TokenGrid ref = fineFirstSlice(f1, q -> q + 1);
    boolean[] skip = new boolean[16];
    TokenGrid f2 = c.predictedGrid(ref, skip);
    TokenGrid want = f2.copy();
    for (int cy = 0; cy < 2; cy++) {
      for (int cx = 0; cx < 4; cx++) {
        int i = cy * 4 + cx;
        skip[i] = i % 3 == 0;
        if (skip[i]) {
          f2.copyCell(ref, cx, cy);
          want.setFine(cx, cy, true);
          for (int q = 0; q < 4; q++) {
            want.setFineToken(2 * cx + (q & 1), 2 * cy + (q >> 1), TokenGrid.LOST);
          }
          continue;
        }
        boolean fine = i % 3 == 1;
        f2.setFine(cx, cy, fine);
        for (int q = 0; q < 4; q++) {
          // Tokens 5 and up differ from the reference's 1..4; cell 4's first token equals it.
          int t = i == 4 && q == 0 ? 1 : 5 + 7 * i + q;
          f2.setFineToken(2 * cx + (q & 1), 2 * cy + (q >> 1), t);
        }
        f2.setCoarseToken(cx, cy, 9 + i);
        want.copyCell(f2, cx, cy);
        if (i == 4) want.setFineToken(2 * cx, 2 * cy, TokenGrid.LOST);
      }
    }
    c.code(PREDICTED, f2, ref, skip, null);
    decodes(
        "video-lost-reference-pm0",
        c,
        c.bytes(true),
        List.of(
            c.outs.get(0),
            new Out(lose(f1, 0, 2, MIXED), "DAMAGED,DECODED"),
            new Out(want, "DECODED,DECODED")),
        new long[] {0},
        all(1),
        "ok",
        "§10.4 §10.5 §5.5",
        "frame 1's first slice damaged; frame 2 over it: skipped cells lost, fine cells coded with"
            + " same flags (a lost reference cell is fine), one same flag 1 over a lost token,"
            + " coarse cells without same flags");
  }

  /**
   * Codes a key frame and a predicted frame into {@code c} (4x4 cells, slices of 2 rows) and
   * damages a byte of the predicted frame's first slice payload; returns the predicted frame as
   * coded.
   */
  private TokenGrid keyThenDamagedPredicted(Clip c) {
    c.key();
    TokenGrid f1 = c.predicted();
    c.frames.get(1).edit = b -> flip(b, frameHeaderSize(b) + 3); // a byte of slice 0's payload
    return f1;
  }

  /**
   * {@code f1} with the cells of its first slice (2 rows of 4) fine, quadrant q's token token(q).
   */
  private static TokenGrid fineFirstSlice(TokenGrid f1, IntUnaryOperator token) {
    TokenGrid g = f1.copy();
    for (int cy = 0; cy < 2; cy++) {
      for (int cx = 0; cx < 4; cx++) {
        g.setFine(cx, cy, true);
        for (int q = 0; q < 4; q++) {
          g.setFineToken(2 * cx + (q & 1), 2 * cy + (q >> 1), token.applyAsInt(q));
        }
      }
    }
    return g;
  }

  /**
   * Frame 1 of a 2-row motion clip {@code cellsWide} cells wide: slice 0 gives cell (0, 0) the
   * vector ({@code vx}, {@code vy}) from predictor (0, 0) and skips the other cells, coded symbol
   * by symbol here (the encoder refuses such a vector); slice 1 skips every cell.
   */
  private void badVector(
      String name, GranularityMode mode, int cellsWide, int vx, int vy, String description)
      throws IOException {
    Clip c = new Clip(16 * cellsWide, 32, 64, mode, PM0, 1);
    c.motion = true;
    TokenGrid f0 = c.key();
    RansEncoder enc = new RansEncoder();
    AdaptiveBinaryModel[] skipM = models(4), motionM = models(4);
    AdaptiveBinaryModel[][] mvd = {models(6), models(6)}; // nonzero, sign, more[0..3]
    enc.encode(skipM[0], 0);
    enc.encode(motionM[0], 1);
    mvd(enc, mvd[0], vx);
    mvd(enc, mvd[1], vy);
    for (int cx = 1; cx < cellsWide; cx++) enc.encode(skipM[cx > 1 ? 1 : 0], 1);
    byte[] slice0 = enc.finish();
    MotionField m = new MotionField(cellsWide, 2);
    for (int cx = 0; cx < cellsWide; cx++) m.setSkip(cx, 1);
    TokenGrid g = f0.copy();
    byte[] slice1 = SliceCoder.encodeMotion(null, g, f0, m, 1, 1, mode);
    c.add(MOTION, List.of(slice0, slice1));
    decodes(
        name,
        c,
        c.bytes(true),
        List.of(c.outs.get(0), new Out(lose(f0, 0, 1, mode), "UNDECODABLE,DECODED")),
        new long[] {0},
        all(1),
        "ok",
        "§10.9.1 §10.9.3 §10.9.5 §6.6",
        description);
  }

  private static AdaptiveBinaryModel[] models(int n) {
    AdaptiveBinaryModel[] m = new AdaptiveBinaryModel[n];
    for (int i = 0; i < n; i++) m[i] = new AdaptiveBinaryModel();
    return m;
  }

  /** Spec §10.9.3 decode_mvd, encoded: m = {nonzero, sign, more[0..3]}. */
  private static void mvd(RansEncoder enc, AdaptiveBinaryModel[] m, int v) {
    enc.encode(m[0], v != 0 ? 1 : 0);
    if (v == 0) return;
    enc.encode(m[1], v < 0 ? 1 : 0);
    int target = Math.abs(v), mag = 1;
    while (mag < 2 * MotionField.MAX_MV) {
      boolean more = mag < target;
      enc.encode(m[2 + Math.min(mag - 1, 3)], more ? 1 : 0);
      if (!more) break;
      mag++;
    }
  }

  // ---------------------------------------------------------------- refused streams

  private void refused() throws IOException {
    Clip c = clip(PM0);
    c.key();
    c.predicted();
    HeaderEditor e = HeaderEditor.parse(c.bytes(true));
    String inv = ErrorCategory.INVALID_HEADER.name();
    Object[][] fields = {
      {
        "err-video-frame-count-past",
        "frame_count",
        HeaderEditor.varint((1L << 24) + 1),
        "frame_count 2^24 + 1, one past MAX_FRAMES"
      },
      {"err-video-rate-num-0", "frame_rate_num", HeaderEditor.varint(0), "frame_rate_num 0"},
      {
        "err-video-rate-num-past",
        "frame_rate_num",
        HeaderEditor.varint((1 << 20) + 1),
        "frame_rate_num 2^20 + 1"
      },
      {"err-video-rate-den-0", "frame_rate_den", HeaderEditor.varint(0), "frame_rate_den 0"},
      {
        "err-video-rate-den-past",
        "frame_rate_den",
        HeaderEditor.varint((1 << 20) + 1),
        "frame_rate_den 2^20 + 1"
      },
      {
        "err-video-slice-count-1",
        "slice_count",
        HeaderEditor.varint(1),
        "slice_count 1 in a video's header (shall be 0)"
      },
    };
    for (Object[] f : fields) {
      HeaderEditor x = e.copy().set((String) f[1], (byte[]) f[2]);
      refuses(
          (String) f[0],
          x.toFile(true),
          inv,
          x.offset((String) f[1]),
          "§10.2 §A.6",
          (String) f[3] + " (header_size and header_crc consistent)");
    }
    HeaderEditor x = e.copy().set("version_minor", new byte[] {1});
    refuses(
        "err-video-version-minor-1",
        x.toFile(true),
        inv,
        x.offset("profile"),
        "§10.2 §2.2.4",
        "profile 1 with version_minor 1 (video needs 2 or more): refused at profile");
    x = e.copy();
    byte[] crc = x.raw("header_crc");
    crc[3] ^= 1;
    byte[] file = x.set("header_crc", crc).toFile(false);
    refuses(
        "err-video-header-crc",
        file,
        ErrorCategory.DAMAGED_HEADER.name(),
        x.headerSize() - 4,
        "§10.2 §2.5",
        "a video whose header_crc does not match");
    x = e.copy().set("model_id", HeaderEditor.varint(999));
    refuses(
        "err-video-model-unknown",
        x.toFile(true),
        ErrorCategory.UNKNOWN_MODEL.name(),
        -1,
        "§10.2 §4.3",
        "a video naming model 999, which does not exist");
    // Spec §9.6.2: residual stages are for still pictures only; version_minor 4, the block's.
    x =
        e.copy()
            .set("version_minor", new byte[] {4})
            .addExtensions(HeaderEditor.Block.of(0x8002, new byte[] {2, 6}));
    refuses(
        "err-video-residual-stages",
        x.toFile(true),
        inv,
        x.offset("extension[0].extension_type"),
        "§10.2 §9.6.2",
        "a video (version_minor 4) with a residual-stages block (stage_count 2, level 6)");
  }

  // ---------------------------------------------------------------- compact frame headers

  /** Spec §9.6.3 and the compact form of §10.3: valid clips, lost frames, refused headers. */
  private void compactFrameHeaders() throws IOException {
    Clip c = clip(PM0);
    c.compact = true;
    c.key();
    c.predicted();
    c.predicted();
    c.key();
    c.predicted();
    valid(
        "video-compact-pm0",
        c,
        "§10.3 §9.6.3 §8.2",
        "compact frame headers (version_minor 5): key, predicted, predicted, key, predicted; two"
            + " slices a frame, so the first slice's row_count is coded and the last's is not");
    c = temporalClip(64, 48);
    c.compact = true;
    c.motion = true;
    c.key();
    c.motion();
    c.predicted();
    c.motion();
    valid(
        "video-compact-motion-pm3-temporal",
        c,
        "§10.3 §9.6.3 §10.9 §8.3.3.4",
        "compact frame headers with motion frames, model 7's temporal expert; three cell rows in"
            + " two slices (2 + 1)");
    c = new Clip(32, 32, 256, MIXED, PM0, 8);
    c.compact = true;
    c.key();
    c.predicted();
    valid(
        "video-compact-one-slice-pm0",
        c,
        "§10.3 §9.6.3 §8.2",
        "compact frame headers of one slice each: 17 bytes with a payload under 128 bytes");

    // Faults of frame 1's compact header: frame 1 lost, frame 2 predicted from frame 0.
    List<Fault> faults =
        List.of(
            new Fault(
                "video-compact-frame-crc-damaged-pm0",
                "§10.3 §9.6.3 §10.5 §10.7",
                "compact: frame 1's frame_header_crc does not match: frame 1 lost, frame 2"
                    + " predicted from frame 0",
                f -> f.edit = b -> flip(b, compactHeaderSize(b) - 1)),
            new Fault(
                "video-compact-frame-header-size-16-pm0",
                "§10.3 §9.6.3 §10.7",
                "compact: frame 1's frame_header_size 16, one below the least (17): frame 1 lost",
                f -> f.edit = b -> set(b, 4, 16)),
            new Fault(
                "video-compact-frame-header-size-past-crc-pm0",
                "§10.3 §9.6.3 §10.7",
                "compact: frame 1's frame_header_size one more than its header: frame 1 lost",
                f -> f.edit = b -> set(b, 4, compactHeaderSize(b) + 1)),
            new Fault(
                "video-compact-frame-header-size-non-canonical-pm0",
                "§10.3 §9.6.3 §10.7 §1.4",
                "compact: frame 1's frame_header_size written in two bytes (final byte 0x00, CRC"
                    + " consistent): not canonical, frame 1 lost",
                f ->
                    f.edit =
                        b -> {
                          int size = compactHeaderSize(b);
                          byte[] body = Arrays.copyOfRange(b, 5, size - 4);
                          byte[] h = compactHeader(new byte[] {(byte) (size + 1 | 0x80), 0}, body);
                          return concat(h, Arrays.copyOfRange(b, size, b.length));
                        }),
            new Fault(
                "video-compact-row-count-past-pm0",
                "§10.3 §9.6.3 §10.7 §5.2",
                "compact: frame 1's first slice_count row_count 4 of 4 cell rows, leaving none to"
                    + " its second slice (CRC consistent): frame 1 lost",
                f -> f.slices.set(0, new Slice(0, 4, f.slices.get(0).payload()))));
    lostFrameOne(faults, true);

    // The block's own rules (Spec §9.6.3), in a video of compact frames (version_minor 5).
    c = clip(PM0);
    c.compact = true;
    c.key();
    c.predicted();
    HeaderEditor e = HeaderEditor.parse(c.bytes(true));
    String inv = ErrorCategory.INVALID_HEADER.name();
    String[][] bad = {
      {
        "err-compact-frame-headers-ignorable",
        "0003",
        "",
        "type 3 without the critical flag",
        "type"
      },
      {"err-compact-frame-headers-length-1", "8003", "00", "a 1-byte payload", "length"}
    };
    for (String[] b : bad) {
      byte[] payload = java.util.HexFormat.of().parseHex(b[2]);
      HeaderEditor x =
          e.copy().replaceExtension(0, java.util.HexFormat.of().parseHex(b[1]), payload);
      refuses(
          b[0],
          x.toFile(true),
          inv,
          x.offset("extension[0].extension_" + b[4]),
          b[4].equals("type") ? "§9.4 §9.6.3 §10.2" : "§9.6.3 §10.2",
          "a compact-frame-headers block: " + b[3]);
    }
    HeaderEditor twice = e.copy().addExtensions(HeaderEditor.Block.of(0x8003));
    refuses(
        "err-compact-frame-headers-twice",
        twice.toFile(true),
        inv,
        twice.offset("extension[1].extension_type"),
        "§9.6.3 §10.2",
        "two compact-frame-headers blocks");
  }

  // ---------------------------------------------------------------- byte edits

  static int frameHeaderSize(byte[] frame) {
    return (int) HeaderEditor.u(Arrays.copyOfRange(frame, 4, 8));
  }

  static byte[] flip(byte[] b, int at) {
    b[at] ^= 0x01;
    return b;
  }

  static byte[] set(byte[] b, int at, int v) {
    b[at] = (byte) v;
    return b;
  }

  static byte[] setU32(byte[] b, int at, long v) {
    System.arraycopy(HeaderEditor.be(v, 4), 0, b, at, 4);
    return b;
  }

  /** Rewrites slice_count of a frame header with a one-byte frame_number; CRC fixed. */
  static byte[] setSliceCount(byte[] b, int n) {
    if ((b[8] & 0x80) != 0) throw new IllegalArgumentException("frame_number of one byte only");
    b[10] = (byte) n;
    fixCrc(b);
    return b;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) b.writeBytes(p);
    return b.toByteArray();
  }

  /** A copy with every token of cell rows {@code first .. first + n - 1} lost (Spec §5.5). */
  static TokenGrid lose(TokenGrid g, int first, int n, GranularityMode mode) {
    TokenGrid c = g.copy();
    for (int cy = first; cy < first + n; cy++) {
      for (int cx = 0; cx < c.cellsWide(); cx++) {
        c.setFine(cx, cy, false);
        c.setCoarseToken(cx, cy, TokenGrid.LOST);
      }
    }
    return c;
  }
}
