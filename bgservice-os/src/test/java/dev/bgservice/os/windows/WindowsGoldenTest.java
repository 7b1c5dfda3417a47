package dev.bgservice.os.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bgservice.os.RestartPolicy;
import dev.bgservice.os.ServiceDefinition;
import dev.bgservice.os.command.Command;
import dev.bgservice.os.launch.ClassPathTarget;
import dev.bgservice.os.launch.JarTarget;
import dev.bgservice.os.launch.LaunchSpec;
import dev.bgservice.os.testing.AwkwardSpecs;
import dev.bgservice.os.testing.Golden;
import dev.bgservice.os.testing.PlistReader;
import dev.bgservice.os.testing.WindowsArgv;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The procrun command lines and the Scheduled Task XML, byte for byte and by round trip. */
class WindowsGoldenTest {
  static final String PRUNSRV = "C:\\Program Files\\bgservice\\amd64\\prunsrv.exe";
  static final LaunchSpec APP = AwkwardSpecs.windowsApplication();
  static final LaunchSpec APP_WITH_ENV =
      APP.toBuilder().environment("APP_MODE", "blue; green #1 \"x\"").environment("EMPTY", "").build();

  @TempDir Path temp;

  @Test
  void procrunCommandLinesMatchGoldenFile() {
    ServiceDefinition definition = new ServiceDefinition(
        AwkwardSpecs.LABEL, "Sync 100% of \"the\" things", APP_WITH_ENV, true, RestartPolicy.defaults(), Optional.empty());
    ClassPathTarget target = (ClassPathTarget) APP.target();
    List<Command> commands = List.of(
        ProcrunCommands.install(definition, PRUNSRV, target),
        ProcrunCommands.update(definition, PRUNSRV, target),
        ProcrunCommands.failureActions(AwkwardSpecs.LABEL, definition.restart()),
        ProcrunCommands.failureFlag(AwkwardSpecs.LABEL),
        ProcrunCommands.delete(AwkwardSpecs.LABEL, PRUNSRV));
    StringBuilder text = new StringBuilder();
    for (Command command : commands) {
      text.append(command.display()).append('\n');
    }
    Golden.assertMatches("windows/procrun-commands.txt", text.toString());
    for (Command command : commands) {
      // Everything after the program survives CommandLineToArgvW unchanged.
      List<String> words = WindowsArgv.split(command.display());
      assertThat(words.subList(1, words.size())).isEqualTo(command.argv().subList(1, command.argv().size()));
    }
  }

  @Test
  void procrunManualServiceRunningAsAnAccount() {
    ServiceDefinition definition = new ServiceDefinition(
        AwkwardSpecs.LABEL, "Sync", APP, false, RestartPolicy.defaults(), Optional.of("NT AUTHORITY\\LocalService"));
    String install = ProcrunCommands.install(definition, PRUNSRV, (ClassPathTarget) APP.target()).display();
    Golden.assertMatches("windows/procrun-install-manual.txt", install + "\n");
    assertThat(WindowsArgv.split(install)).contains("--Startup=manual", "--ServiceUser=NT AUTHORITY\\LocalService");
  }

  @Test
  void procrunMultiValuesAreQuotedForItsSplitter() {
    List<String> args = WindowsArgv.split(
        ProcrunCommands.install(AwkwardSpecs.definition(APP_WITH_ENV, true), PRUNSRV, (ClassPathTarget) APP.target())
            .display());
    assertThat(args).contains(
        "--JvmOptions='-Xrs';'-Xmx256m';'-Dgreeting=hello world; again';'-Dtrailing=C:\\dir with space\\'",
        "--StartParams='--service-label';'com.example.sync';'--state-dir';'C:\\Users\\Zoë\\AppData\\Local\\bgservice\\state dir\\'",
        "--Environment='APP_MODE=blue; green #1 \"x\"';'EMPTY='",
        "--Jvm=C:\\Program Files\\Eclipse Adoptium\\jdk-17.0.9 \"LTS\"\\bin\\server\\jvm.dll",
        "--StopClass=java.lang.System",
        "--StopParams=0");
    assertThat(ProcrunSplitter.split("'-Xrs';'a;b#c'")).containsExactly("-Xrs", "a;b#c");
  }

  @Test
  void procrunRefusesValuesItCannotCarry() {
    LaunchSpec quote = APP.toBuilder().programArgs("it's").build();
    assertThatThrownBy(() -> ProcrunCommands.install(AwkwardSpecs.definition(quote, true), PRUNSRV, (ClassPathTarget) APP.target()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("single quote");
    LaunchSpec odd = APP.toBuilder().jvmOptions("-Da=\"b").build();
    assertThatThrownBy(() -> ProcrunCommands.install(AwkwardSpecs.definition(odd, true), PRUNSRV, (ClassPathTarget) APP.target()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("double quotes");
  }

  @Test
  void aJarIsRunByTheMainClassOfItsManifest() throws Exception {
    Path jar = temp.resolve("bgs.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.bgservice.cli.Main");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
      jarOut.flush();
    }
    assertThat(ProcrunCommands.classPathTarget(new JarTarget(jar)))
        .isEqualTo(new ClassPathTarget(List.of(jar), "dev.bgservice.cli.Main"));
    Path noMain = temp.resolve("plain.jar");
    try (OutputStream out = Files.newOutputStream(noMain); JarOutputStream jarOut = new JarOutputStream(out)) {
      jarOut.flush();
    }
    assertThatThrownBy(() -> ProcrunCommands.classPathTarget(new JarTarget(noMain)))
        .hasMessageContaining("no Main-Class");
  }

  @Test
  void scheduledTaskWithAutostartMatchesGoldenFile() throws Exception {
    String xml = ScheduledTaskXml.render(AwkwardSpecs.definition(APP, true), "PC-ZOË\\Zoë");
    Golden.assertMatches("windows/scheduled-task-autostart.xml", xml);
    assertTask(xml, true);
  }

  @Test
  void scheduledTaskWithoutAutostartMatchesGoldenFile() throws Exception {
    String xml = ScheduledTaskXml.render(AwkwardSpecs.definition(APP, false), "PC-ZOË\\Zoë");
    Golden.assertMatches("windows/scheduled-task-manual.xml", xml);
    assertTask(xml, false);
  }

  @Test
  void scheduledTaskRefusesWhatTaskSchedulerCannotCarry() {
    LaunchSpec percent = APP.toBuilder().programArgs("%TEMP%").build();
    assertThatThrownBy(() -> ScheduledTaskXml.render(AwkwardSpecs.definition(percent, true), "u"))
        .hasMessageContaining("expand %...%");
    assertThatThrownBy(() -> ScheduledTaskXml.render(AwkwardSpecs.definition(APP_WITH_ENV, true), "u"))
        .hasMessageContaining("cannot set environment variables");
  }

  private static void assertTask(String xml, boolean autostart) throws Exception {
    Document task = PlistReader.parse(xml.replace("encoding=\"UTF-16\"", "encoding=\"UTF-8\""));
    assertThat(text(task, "Command"))
        .isEqualTo("C:\\Program Files\\Eclipse Adoptium\\jdk-17.0.9 \"LTS\"\\bin\\javaw.exe");
    List<String> argv = APP.argv(";");
    assertThat(WindowsArgv.split(text(task, "Arguments"))).isEqualTo(argv.subList(1, argv.size()));
    assertThat(text(task, "WorkingDirectory")).isEqualTo(APP.workingDirectory().orElseThrow().toString());
    assertThat(text(task, "ExecutionTimeLimit")).isEqualTo("PT0S");
    assertThat(text(task, "DisallowStartIfOnBatteries")).isEqualTo("false");
    assertThat(task.getElementsByTagName("LogonTrigger").getLength()).isEqualTo(autostart ? 1 : 0);
    assertThat(text(task, "URI")).isEqualTo("\\bgservice\\com.example.sync");
  }

  private static String text(Document document, String tag) {
    return document.getElementsByTagName(tag).item(0).getTextContent();
  }

  /** procrun's splitter for multi-valued options, as documented, to check the quoting. */
  static final class ProcrunSplitter {
    static List<String> split(String value) {
      List<String> values = new java.util.ArrayList<>();
      StringBuilder current = new StringBuilder();
      boolean single = false;
      boolean dbl = false;
      for (char c : value.toCharArray()) {
        if (c == '\'') {
          single = !single;
        } else if (c == '"') {
          dbl = !dbl;
          current.append(c);
        } else if ((c == '#' || c == ';') && !single && !dbl) {
          values.add(current.toString());
          current.setLength(0);
        } else {
          current.append(c);
        }
      }
      values.add(current.toString());
      return values;
    }
  }
}
