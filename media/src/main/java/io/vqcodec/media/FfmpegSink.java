package io.vqcodec.media;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * Writes a container through FFmpeg's own API (JavaCPP bindings). Not JavaCV's recorder: it rounds
 * odd widths up to even and rescales the picture, and converts RGB with swscale's untagged BT.601;
 * here the size is kept exactly and the colour conversion is {@link YCbCr}'s, tagged in the stream
 * so that {@link FfmpegSource} (and players) invert it.
 *
 * <p>Defaults per container, all encoders of the LGPL FFmpeg build that ships with the module:
 *
 * <ul>
 *   <li>{@code .mkv}, {@code .avi}: FFV1 version 3, lossless RGB (bgr0), slice CRCs, every frame a
 *       key frame: a decoder's output, kept bit-exact;
 *   <li>{@code .mp4}: MPEG-4 Part 2 at quantiser 2 (near-transparent; H.264 needs the GPL build),
 *       4:2:0, BT.709 limited range;
 *   <li>{@code .webm}: VP9 (libvpx) constant quality, crf 20, 4:2:0, BT.709 limited range.
 * </ul>
 */
final class FfmpegSink extends AtomicSink {
  /** What a container extension gets. */
  enum Preset {
    MKV("matroska", "ffv1"),
    AVI("avi", "ffv1"),
    MP4("mp4", "mpeg4"),
    WEBM("webm", "libvpx-vp9");

    final String format;
    final String encoder;

    Preset(String format, String encoder) {
      this.format = format;
      this.encoder = encoder;
    }

    boolean lossless() {
      return encoder.equals("ffv1");
    }

    static Preset forExtension(String ext) {
      return switch (ext) {
        case "mkv" -> MKV;
        case "avi" -> AVI;
        case "mp4" -> MP4;
        case "webm" -> WEBM;
        default -> null;
      };
    }
  }

  private final Preset preset;
  private AVFormatContext oc;
  private AVCodecContext c;
  private AVStream st;
  private AVFrame frame;
  private AVPacket pkt;
  private boolean ioOpen;
  private final byte[] y;
  private final byte[] cb;
  private final byte[] cr;

  FfmpegSink(
      Path target, Path temp, boolean overwrite, Preset preset, int w, int h, int num, int den)
      throws IOException {
    super(target, temp, false, overwrite, w, h, num, den);
    this.preset = preset;
    boolean lossless = preset.lossless();
    y = new byte[lossless ? 4 * w : w * h];
    cb = lossless ? null : new byte[YCbCr.chromaSize(w, 1) * YCbCr.chromaSize(h, 1)];
    cr = lossless ? null : new byte[cb.length];
    Ffmpeg.init();
    try {
      open();
    } catch (IOException | RuntimeException e) {
      release();
      throw e;
    }
  }

  private void open() throws IOException {
    String url = temp.toAbsolutePath().toString();
    oc = new AVFormatContext(null);
    check(avformat_alloc_output_context2(oc, null, preset.format, url), "cannot set up the muxer");
    AVCodec codec = avcodec_find_encoder_by_name(preset.encoder);
    if (codec == null || codec.isNull()) {
      throw new IOException(
          target + ": encoder " + preset.encoder + " is not in this FFmpeg build");
    }
    st = avformat_new_stream(oc, null);
    c = avcodec_alloc_context3(codec);
    if (st == null || c == null || c.isNull()) throw new IOException(target + ": out of memory");
    c.width(width).height(height);
    c.time_base(av_make_q(rateDen, rateNum));
    c.framerate(av_make_q(rateNum, rateDen));
    c.sample_aspect_ratio(av_make_q(1, 1));
    c.thread_count(Math.min(Runtime.getRuntime().availableProcessors(), 16));
    AVDictionary opts = new AVDictionary(null);
    if (preset.lossless()) {
      c.pix_fmt(AV_PIX_FMT_BGR0);
      c.colorspace(AVCOL_SPC_RGB);
      c.color_range(AVCOL_RANGE_JPEG);
      c.gop_size(1);
      av_dict_set(opts, "level", "3", 0);
      av_dict_set(opts, "slicecrc", "1", 0);
    } else {
      c.pix_fmt(AV_PIX_FMT_YUV420P);
      c.colorspace(AVCOL_SPC_BT709);
      c.color_primaries(AVCOL_PRI_BT709);
      c.color_range(AVCOL_RANGE_MPEG);
      c.chroma_sample_location(AVCHROMA_LOC_CENTER);
      if (preset == Preset.MP4) {
        c.flags(c.flags() | AV_CODEC_FLAG_QSCALE);
        c.global_quality(2 * FF_QP2LAMBDA);
        c.gop_size(250);
      } else {
        c.bit_rate(0);
        av_dict_set(opts, "crf", "20", 0);
        av_dict_set(opts, "deadline", "good", 0);
        av_dict_set(opts, "cpu-used", "4", 0);
        av_dict_set(opts, "row-mt", "1", 0);
      }
    }
    if ((oc.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
      c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
    }
    int ret = avcodec_open2(c, codec, opts);
    av_dict_free(opts);
    check(ret, "cannot open encoder " + preset.encoder);
    check(avcodec_parameters_from_context(st.codecpar(), c), "cannot set up the stream");
    st.time_base(c.time_base());
    st.avg_frame_rate(c.framerate());
    AVIOContext pb = new AVIOContext(null);
    check(avio_open(pb, url, AVIO_FLAG_WRITE), "cannot open the temporary file");
    oc.pb(pb);
    ioOpen = true;
    AVDictionary muxOpts = new AVDictionary(null);
    if (preset == Preset.MP4) av_dict_set(muxOpts, "movflags", "+faststart", 0);
    ret = avformat_write_header(oc, muxOpts);
    av_dict_free(muxOpts);
    check(ret, "cannot write the header");
    frame = av_frame_alloc();
    frame.format(c.pix_fmt()).width(width).height(height);
    check(av_frame_get_buffer(frame, 0), "cannot allocate a frame");
    pkt = av_packet_alloc();
  }

  @Override
  void writeFrame(int[] rgb, long index) throws IOException {
    check(av_frame_make_writable(frame), "cannot write a frame");
    if (preset.lossless()) {
      BytePointer d = frame.data(0);
      int ls = frame.linesize(0);
      for (int row = 0; row < height; row++) {
        for (int x = 0; x < width; x++) {
          int p = rgb[row * width + x];
          y[4 * x] = (byte) p;
          y[4 * x + 1] = (byte) (p >> 8);
          y[4 * x + 2] = (byte) (p >> 16);
          y[4 * x + 3] = 0;
        }
        d.position((long) row * ls).put(y, 0, 4 * width);
      }
    } else {
      YCbCr.fromRgb(rgb, width, height, 1, 1, false, YCbCr.Matrix.BT709, y, cb, cr);
      copy(y, width, height, 0);
      copy(cb, YCbCr.chromaSize(width, 1), YCbCr.chromaSize(height, 1), 1);
      copy(cr, YCbCr.chromaSize(width, 1), YCbCr.chromaSize(height, 1), 2);
    }
    frame.pts(index);
    encode(frame);
  }

  private void copy(byte[] plane, int w, int h, int i) {
    BytePointer d = frame.data(i);
    int ls = frame.linesize(i);
    for (int row = 0; row < h; row++) d.position((long) row * ls).put(plane, row * w, w);
  }

  /** Sends a frame (null: end of stream) and writes every packet the encoder has ready. */
  private void encode(AVFrame f) throws IOException {
    check(avcodec_send_frame(c, f), "cannot encode");
    while (true) {
      int ret = avcodec_receive_packet(c, pkt);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) return;
      check(ret, "cannot encode");
      av_packet_rescale_ts(pkt, c.time_base(), st.time_base());
      pkt.stream_index(st.index());
      check(av_interleaved_write_frame(oc, pkt), "cannot write");
    }
  }

  @Override
  void finish() throws IOException {
    encode(null);
    check(av_write_trailer(oc), "cannot write the trailer");
    int ret = avio_closep(oc.pb());
    ioOpen = false;
    check(ret, "cannot close the temporary file");
    release();
  }

  @Override
  void release() {
    if (pkt != null) av_packet_free(pkt);
    if (frame != null) av_frame_free(frame);
    if (c != null) avcodec_free_context(c);
    if (oc != null && !oc.isNull()) {
      if (ioOpen) avio_closep(oc.pb());
      avformat_free_context(oc);
    }
    pkt = null;
    frame = null;
    c = null;
    oc = null;
    ioOpen = false;
  }

  private void check(int ret, String what) throws IOException {
    if (ret < 0) {
      throw new IOException(
          String.format(Locale.ROOT, "%s: %s (%s)", target, what, Ffmpeg.error(ret)));
    }
  }
}
