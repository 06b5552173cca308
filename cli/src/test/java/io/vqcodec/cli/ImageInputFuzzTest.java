package io.vqcodec.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the encoder's image input path (Jazzer): any file given to {@code
 * vqcodec encode} is read (sized from its header, at most 2^20 pixels here) or refused with a
 * {@link CliException}, the one-line message and exit code of the CLI; never another exception.
 * Seeds: small PNG, JPEG, BMP, GIF and PNM files in {@code src/test/resources/.../
 * ImageInputFuzzTestInputs/}; campaigns: tools/FUZZING.md.
 */
class ImageInputFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void anyFileIsReadOrRefusedCleanly(byte[] input) throws IOException {
    Path f = Files.createTempFile("fuzz", ".img");
    try {
      Files.write(f, input);
      Images.read(f, 1 << 20, warning -> {});
    } catch (CliException expected) {
      // refused with a message for the user
    } finally {
      Files.deleteIfExists(f);
    }
  }
}
