package dev.bgservice.os.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bgservice.os.Scope;
import dev.bgservice.os.ServiceDefinition;
import dev.bgservice.os.launch.JavaRuntime;
import dev.bgservice.os.launch.LaunchSpec;
import dev.bgservice.os.testing.AwkwardSpecs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of generated unit passes {@code systemd-analyze verify}, and systemd reads back
 * exactly the intended command line, environment and working directory (from the unit dump
 * it prints at debug level). The java binary is a symbolic link to this JVM's java in a
 * directory whose name has a space, {@code $}, {@code %} and non-ASCII text, because verify
 * checks that the program exists.
 */
class SystemdVerifyTest {
  static Optional<Path> analyze = Optional.empty();

  @TempDir static Path temp;
  static String java;

  @BeforeAll
  static void findTools() throws IOException {
    analyze = Stream.of("/usr/bin/systemd-analyze", "/bin/systemd-analyze")
        .map(Path::of).filter(Files::isExecutable).findFirst();
    if (analyze.isEmpty()) {
      System.out.println("SKIPPED SystemdVerifyTest: systemd-analyze is not installed (Debian package 'systemd')");
      return;
    }
    Path bin = temp.resolve("jdk-17 $HOME 100% café").resolve("bin");
    Files.createDirectories(bin);
    Path link = bin.resolve("java");
    Files.createSymbolicLink(link, JavaRuntime.currentExecutable());
    java = link.toString();
  }

  static Stream<Arguments> units() {
    return Stream.of(
        Arguments.of("user autostart 254", Scope.USER, true, 254, false),
        Arguments.of("user autostart 252", Scope.USER, true, 252, false),
        Arguments.of("user manual 254", Scope.USER, false, 254, false),
        Arguments.of("user autostart 239", Scope.USER, true, 239, false),
        Arguments.of("system autostart 254", Scope.SYSTEM, true, 254, true),
        Arguments.of("system manual 252", Scope.SYSTEM, false, 252, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("units")
  void systemdAcceptsTheUnitAndReadsBackTheIntendedValues(
      String name, Scope scope, boolean autostart, int version, boolean hostJar) throws Exception {
    assumeTrue(analyze.isPresent(), "systemd-analyze is not installed");
    LaunchSpec launch = hostJar ? AwkwardSpecs.unixHostJar(java) : AwkwardSpecs.unixApplication(java);
    ServiceDefinition definition = scope == Scope.SYSTEM
        ? AwkwardSpecs.systemDefinition(launch, autostart)
        : AwkwardSpecs.definition(launch, autostart);
    String unit = SystemdUnit.render(definition, scope, version);
    Path dir = Files.createTempDirectory(temp, "unit");
    Path file = dir.resolve(AwkwardSpecs.LABEL + ".service");
    Files.writeString(file, unit, StandardCharsets.UTF_8);

    Result plain = verify(dir, file, false);
    List<String> complaints = complaintsAbout(plain.output);
    if (version > localVersion()) {
      // This systemd is older than the one the unit is for: it may only not know the newer keys.
      assertThat(complaints).allMatch(SystemdVerifyTest::isUnknownNewerKey);
    } else {
      assertThat(plain.exitCode).as("systemd-analyze verify exit status; output:\n%s", plain.output).isZero();
      assertThat(complaints).as("complaints about the unit").isEmpty();
    }

    Result debug = verify(dir, file, true);
    Optional<String> commandLine = dumpValue(debug.output, "Command Line:");
    if (commandLine.isEmpty()) {
      System.out.println("SKIPPED read-back check: this systemd-analyze prints no unit dump");
      return;
    }
    List<String> expected = new ArrayList<>();
    List<String> argv = launch.argv(":");
    expected.add(argv.get(0));
    // Arguments keep $$ until exec time, when systemd turns it into $.
    argv.stream().skip(1).map(a -> a.replace("$", "$$")).forEach(expected::add);
    assertThat(parseDumpedCommandLine(commandLine.get())).isEqualTo(expected);
    assertThat(dumpValues(debug.output, "WorkingDirectory:"))
        .containsExactly(launch.workingDirectory().orElseThrow().toString());
    assertThat(dumpValues(debug.output, "Environment:"))
        .containsExactlyElementsOf(launch.environment().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).toList());
  }

  /** Every line of output; verify prints nothing for a unit it accepts. */
  private static List<String> complaintsAbout(String output) {
    return output.lines().filter(line -> !line.isBlank()).toList();
  }

  private static boolean isUnknownNewerKey(String line) {
    return line.contains("Unknown key")
        && (line.contains("'RestartSteps'") || line.contains("'RestartMaxDelaySec'"));
  }

  private static int localVersion() {
    try {
      Process process = new ProcessBuilder(analyze.orElseThrow().toString(), "--version").start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(30, TimeUnit.SECONDS);
      return SystemdVersion.parse(out).orElse(0);
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static Optional<String> dumpValue(String output, String key) {
    return dumpValues(output, key).stream().findFirst();
  }

  private static List<String> dumpValues(String output, String key) {
    return output.lines()
        .map(String::strip)
        .filter(line -> line.startsWith(key))
        .map(line -> line.substring(key.length()).strip())
        .toList();
  }

  /** Splits the dump's rendering of a command line: words, double-quoted with C escapes. */
  static List<String> parseDumpedCommandLine(String line) {
    List<String> words = new ArrayList<>();
    int i = 0;
    while (i < line.length()) {
      while (i < line.length() && line.charAt(i) == ' ') {
        i++;
      }
      if (i >= line.length()) {
        break;
      }
      StringBuilder word = new StringBuilder();
      boolean quoted = false;
      while (i < line.length() && (quoted || line.charAt(i) != ' ')) {
        char c = line.charAt(i++);
        if (c == '"') {
          quoted = !quoted;
        } else if (c == '\\' && i < line.length()) {
          char e = line.charAt(i++);
          switch (e) {
            case 't' -> word.append('\t');
            case 'n' -> word.append('\n');
            case 'x' -> {
              word.append((char) Integer.parseInt(line.substring(i, i + 2), 16));
              i += 2;
            }
            default -> word.append(e);
          }
        } else {
          word.append(c);
        }
      }
      words.add(word.toString());
    }
    return words;
  }

  private record Result(int exitCode, String output) {}

  private static Result verify(Path dir, Path file, boolean debug) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(
            analyze.orElseThrow().toString(), "verify", "--man=no", "--recursive-errors=no", file.getFileName().toString())
        .directory(dir.toFile())
        .redirectErrorStream(true);
    builder.environment().put("SYSTEMD_LOG_LEVEL", debug ? "debug" : "notice");
    builder.environment().put("SYSTEMD_UNIT_PATH", dir + ":");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("systemd-analyze finished").isTrue();
    return new Result(process.exitValue(), output);
  }
}
