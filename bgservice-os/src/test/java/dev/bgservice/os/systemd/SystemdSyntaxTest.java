package dev.bgservice.os.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemdSyntaxTest {

  @Test
  void plainWordsStayUnquotedButEscapeSpecifiersAndVariables() {
    assertThat(SystemdSyntax.commandWord("-Xmx256m")).isEqualTo("-Xmx256m");
    assertThat(SystemdSyntax.commandWord("100%")).isEqualTo("\"100%%\"");
    assertThat(SystemdSyntax.commandWord("$HOME")).isEqualTo("\"$$HOME\"");
  }

  @Test
  void quotedWordsUseCEscapes() {
    assertThat(SystemdSyntax.commandWord("a \"b\" \\c")).isEqualTo("\"a \\\"b\\\" \\\\c\"");
    assertThat(SystemdSyntax.commandWord("tab\there\nnew")).isEqualTo("\"tab\\there\\nnew\"");
    assertThat(SystemdSyntax.commandWord("bell\u0007")).isEqualTo("\"bell\\x07\"");
    assertThat(SystemdSyntax.commandWord(";")).isEqualTo("\";\"");
    assertThat(SystemdSyntax.commandWord("")).isEqualTo("\"\"");
    assertThat(SystemdSyntax.commandWord("it's")).isEqualTo("\"it's\"");
  }

  @Test
  void theProgramKeepsDollarsAndRefusesQuotesAndBackslashes() {
    assertThat(SystemdSyntax.commandLine(List.of("/opt/j $x 100%/java", "$y")))
        .isEqualTo("\"/opt/j $x 100%%/java\" \"$$y\"");
    assertThatThrownBy(() -> SystemdSyntax.executable("/opt/it's/java"))
        .hasMessageContaining("symbolic link");
    assertThatThrownBy(() -> SystemdSyntax.executable("/opt/a\\b/java")).hasMessageContaining("backslash");
    assertThatThrownBy(() -> SystemdSyntax.commandLine(List.of("java"))).hasMessageContaining("absolute path");
  }

  @Test
  void environmentAssignmentsKeepDollars() {
    assertThat(SystemdSyntax.environmentAssignment("A", "$x 5% \"q\""))
        .isEqualTo("\"A=$x 5%% \\\"q\\\"\"");
  }

  @Test
  void pathsAreLiteralExceptSpecifiers() {
    assertThat(SystemdSyntax.path("/a b/\"c\" $d 5%")).isEqualTo("/a b/\"c\" $d 5%%");
    assertThatThrownBy(() -> SystemdSyntax.path("/a ")).hasMessageContaining("ends in whitespace");
    assertThatThrownBy(() -> SystemdSyntax.path("rel")).hasMessageContaining("absolute");
  }

  @Test
  void timeSpans() {
    assertThat(SystemdSyntax.timeSpan(Duration.ofSeconds(5))).isEqualTo("5");
    assertThat(SystemdSyntax.timeSpan(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }

  @Test
  void versionParsing() {
    assertThat(SystemdVersion.parse("systemd 252 (252.38-1~deb12u1)\n+PAM +AUDIT")).hasValue(252);
    assertThat(SystemdVersion.parse("systemd 256 (256.7-arch1-1)")).hasValue(256);
    assertThat(SystemdVersion.parse("bash: systemctl: not found")).isEmpty();
    assertThat(SystemdVersion.parse("")).isEmpty();
  }
}
