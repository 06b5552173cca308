package io.vqcodec.decoder.imageio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.FrameType;
import io.vqcodec.container.GranularityMode;
import io.vqcodec.container.ModelId;
import io.vqcodec.container.PictureHeader;
import io.vqcodec.container.ProbabilityModel;
import io.vqcodec.container.Slice;
import io.vqcodec.container.TokenGridParams;
import io.vqcodec.container.VideoWriter;
import io.vqcodec.decoder.VideoDecoder;
import io.vqcodec.neural.Pixels;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.SliceCoder;
import io.vqcodec.tokens.TokenGrid;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ImageIO reader on a video stream (Spec §10): the first frame. */
class VqcImageReaderVideoTest {
  static byte[] video;

  /**
   * Two frames of 80x48 with unrelated tokens, a key frame and a second key frame, with compact
   * frame headers.
   */
  @BeforeAll
  static void makeVideo() throws IOException {
    ModelPackage model = ModelRegistry.builtIn().byName("tok-v1").orElseThrow();
    ContainerHeader h =
        new ContainerHeader(
            PictureHeader.video(80, 48, ChannelFormat.RGB, 2, 25, 1),
            new ModelId(model.id(), model.weightsSha256()),
            new TokenGridParams(256, GranularityMode.ALL_COARSE, ProbabilityModel.ADAPTIVE_ORDER0),
            // compact frame headers, as the reference encoder writes them (Spec §9.6.3)
            List.of(ContainerHeader.compactFrameHeaders()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    VideoWriter w = new VideoWriter(out, h);
    Random r = new Random(5);
    for (int f = 0; f < 2; f++) {
      TokenGrid g = new TokenGrid(80, 48, 256);
      for (int cy = 0; cy < g.cellsHigh(); cy++) {
        for (int cx = 0; cx < g.cellsWide(); cx++) g.setCoarseToken(cx, cy, r.nextInt(256));
      }
      byte[] p = SliceCoder.encode(null, g, 0, g.cellsHigh(), GranularityMode.ALL_COARSE);
      w.writeFrame(FrameType.KEY, List.of(new Slice(0, g.cellsHigh(), p)));
    }
    w.finish();
    video = out.toByteArray();
  }

  static BufferedImage read(byte[] stream) throws IOException {
    ImageReader r = ImageIO.getImageReadersBySuffix("vqc").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(stream))) {
      r.setInput(in);
      assertThat(r.getWidth(0)).isEqualTo(80);
      assertThat(r.getHeight(0)).isEqualTo(48);
      return r.read(0);
    } finally {
      r.dispose();
    }
  }

  @Test
  void readsTheFirstFrame() throws IOException {
    BufferedImage image = read(video);
    BufferedImage first, second;
    try (VideoDecoder d = VideoDecoder.open(new ByteArrayInputStream(video))) {
      first = d.next().image();
      second = d.next().image();
    }
    assertThat(Pixels.psnr(first, image)).isInfinite();
    assertThat(Pixels.psnr(second, image)).isFinite();
    assertThat(ImageIO.read(new ByteArrayInputStream(video))).isNotNull();
  }

  @Test
  void aLostFirstFrameIsAnError() {
    byte[] damaged = video.clone();
    int at = indexOf(damaged, new byte[] {'V', 'Q', 'C', 'F'});
    damaged[at + 9] ^= 0x40; // inside the first frame header: its CRC fails
    assertThatThrownBy(() -> read(damaged))
        .isInstanceOf(IIOException.class)
        .hasMessageContaining("first frame is lost");
  }

  private static int indexOf(byte[] a, byte[] b) {
    outer:
    for (int i = 0; i + b.length <= a.length; i++) {
      for (int j = 0; j < b.length; j++) if (a[i + j] != b[j]) continue outer;
      return i;
    }
    throw new AssertionError("not found");
  }
}
