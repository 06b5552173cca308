package io.vqcodec.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that are not video: one IOException with a one-line message, no crash. */
class BadInputTest {
  @TempDir Path dir;

  private static void assertOneLine(Throwable e, Path input) {
    assertThat(e).isInstanceOf(IOException.class);
    assertThat(e.getMessage()).startsWith(input.toString()).doesNotContain("\n");
  }

  @Test
  void missingFile() {
    Path f = dir.resolve("nothing.mp4");
    assertThatThrownBy(() -> FrameSource.open(f))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessage(f + ": no such file");
  }

  @Test
  void emptyFile() throws IOException {
    Path f = Files.createFile(dir.resolve("empty.mp4"));
    assertThatThrownBy(() -> FrameSource.open(f)).hasMessage(f + ": empty file");
  }

  @Test
  void garbage() throws IOException {
    byte[] junk = new byte[100_000];
    new SplittableRandom(1).nextBytes(junk);
    Path f = dir.resolve("junk.mp4");
    Files.write(f, junk);
    Throwable e = catchOpen(f);
    assertOneLine(e, f);
    assertThat(e.getMessage()).contains("not a video FFmpeg can read");
  }

  /** The first 4 KB of an MP4 whose index (moov) is at the end: nothing to decode. */
  @Test
  void truncatedMp4() throws IOException {
    byte[] all = Files.readAllBytes(Frames.videoDir().resolve("bikes.mp4"));
    Path f = dir.resolve("cut.mp4");
    Files.write(f, Arrays.copyOf(all, 4096));
    Throwable e = catchOpen(f);
    assertOneLine(e, f);
  }

  /** Half of an AVI: the frames that are there decode, then the clip ends; no exception. */
  @Test
  void truncatedAviEndsEarly() throws IOException {
    byte[] all = Files.readAllBytes(Frames.videoDir().resolve("tree.avi"));
    Path f = dir.resolve("half.avi");
    Files.write(f, Arrays.copyOf(all, all.length / 2));
    try (FrameSource in = FrameSource.open(f)) {
      int n = 0;
      while (in.next() != null) n++;
      assertThat(n).isBetween(1, 67);
    }
  }

  /** Bytes of the middle of a clip overwritten: the decoder conceals, reading never crashes. */
  @Test
  void damagedMp4DecodesOrFailsCleanly() throws IOException {
    byte[] all = Files.readAllBytes(Frames.videoDir().resolve("carphone_pristine.mp4"));
    SplittableRandom rnd = new SplittableRandom(3);
    for (int i = 0; i < 2000; i++)
      all[all.length / 4 + rnd.nextInt(all.length / 2)] = (byte) rnd.nextInt();
    Path f = dir.resolve("damaged.mp4");
    Files.write(f, all);
    try (FrameSource in = FrameSource.open(f)) {
      int n = 0;
      while (in.next() != null) n++;
      assertThat(n).isBetween(1, 120);
    } catch (IOException e) {
      assertOneLine(e, f);
    }
  }

  /** A WAV file: FFmpeg reads it, but there is no picture in it. */
  @Test
  void audioOnly() throws IOException {
    int samples = 8000;
    ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + 2 * samples).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1);
    b.putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16);
    b.put("data".getBytes()).putInt(2 * samples);
    Path f = dir.resolve("tone.wav");
    Files.write(f, b.array());
    assertThatThrownBy(() -> FrameSource.open(f)).hasMessage(f + ": has no video stream");
  }

  @Test
  void pictureOverTheLimit() {
    Path f = Frames.videoDir().resolve("carphone_pristine.mp4");
    assertThatThrownBy(() -> FrameSource.open(f, 176 * 144 - 1))
        .hasMessage(f + ": video is 176x144, over the limit of 25343 pixels");
  }

  @Test
  void folderWithoutPngs() throws IOException {
    Path d = Files.createDirectory(dir.resolve("empty"));
    assertThatThrownBy(() -> FrameSource.open(d)).hasMessage(d + ": folder holds no PNG");
  }

  @Test
  void brokenY4mHeader() throws IOException {
    Path f = dir.resolve("bad.y4m");
    Files.writeString(f, "YUV4MPEG2 W-3 H2\n");
    assertThatThrownBy(() -> FrameSource.open(f))
        .hasMessage(f + ": bad YUV4MPEG2 header: bad width -3");
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("YUV4MPEG2 ".getBytes());
    b.writeBytes(new byte[5000]);
    Files.write(f, b.toByteArray());
    assertThatThrownBy(() -> FrameSource.open(f)).hasMessageContaining("line longer than 1024");
  }

  private static Throwable catchOpen(Path f) {
    try (FrameSource in = FrameSource.open(f)) {
      while (in.next() != null) {
        // read to the end: a failure may come from any frame
      }
    } catch (Throwable e) {
      return e;
    }
    throw new AssertionError(f + " was read without an error");
  }
}
