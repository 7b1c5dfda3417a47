package dev.bgservice.os.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bgservice.os.testing.WindowsArgv;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuotingTest {

  @Test
  void windowsQuotingFollowsCommandLineToArgvW() {
    assertThat(WindowsQuoting.quote("plain")).isEqualTo("plain");
    assertThat(WindowsQuoting.quote("")).isEqualTo("\"\"");
    assertThat(WindowsQuoting.quote("a b")).isEqualTo("\"a b\"");
    assertThat(WindowsQuoting.quote("C:\\dir with space\\")).isEqualTo("\"C:\\dir with space\\\\\"");
    assertThat(WindowsQuoting.quote("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
    assertThat(WindowsQuoting.quote("a\\\"b")).isEqualTo("\"a\\\\\\\"b\"");
    assertThat(WindowsQuoting.quote("C:\\no\\space")).isEqualTo("C:\\no\\space");
    assertThat(WindowsQuoting.quote("100%")).isEqualTo("100%");
  }

  @Test
  void windowsQuotingRoundTripsRandomArguments() {
    Random random = new Random(42);
    String alphabet = " \t\"\\ab%$;#'é日";
    for (int round = 0; round < 2000; round++) {
      List<String> argv = new ArrayList<>();
      argv.add("prog.exe");
      for (int i = random.nextInt(4); i >= 0; i--) {
        StringBuilder word = new StringBuilder();
        for (int j = random.nextInt(8); j > 0; j--) {
          word.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        argv.add(word.toString());
      }
      List<String> parsed = WindowsArgv.split(WindowsQuoting.join(argv));
      assertThat(parsed).as("round trip of %s", argv).isEqualTo(argv);
    }
  }

  @Test
  void posixQuotingRoundTripsThroughARealShell() throws Exception {
    List<String> words = List.of("plain", "a b", "it's", "$HOME", "100%", "\\", "\"q\"", "", "é日 ;#*?");
    Process sh = new ProcessBuilder("/bin/sh", "-c", "printf '%s\\n' " + PosixQuoting.join(words)).start();
    String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(sh.waitFor()).isZero();
    assertThat(out).isEqualTo(String.join("\n", words) + "\n");
  }
}
