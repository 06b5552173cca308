package io.vqcodec.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessesTest {
  @Test
  void programsRunWithoutTheLaunchersAllocatorSettings() throws IOException {
    ProcessBuilder pb = new ProcessBuilder("env");
    pb.environment().put("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4");
    pb.environment().put("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1");
    pb.environment().put("VQCODEC_KEPT", "yes");
    Processes.asInstalled(pb);
    assertThat(pb.environment())
        .doesNotContainKeys("LD_PRELOAD", "GLIBC_TUNABLES")
        .containsEntry("VQCODEC_KEPT", "yes");
    String env = new String(pb.start().getInputStream().readAllBytes());
    assertThat(env).doesNotContain("LD_PRELOAD=").doesNotContain("GLIBC_TUNABLES=");
  }

  @Test
  void aFailingProgramGivesItsCommandAndExitCode() {
    assertThatThrownBy(() -> Processes.run(List.of("sh", "-c", "echo broken >&2; exit 3")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("exit 3")
        .hasMessageContaining("broken");
  }
}
