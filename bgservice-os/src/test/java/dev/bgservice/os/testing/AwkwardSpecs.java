package dev.bgservice.os.testing;

import dev.bgservice.os.RestartPolicy;
import dev.bgservice.os.ServiceDefinition;
import dev.bgservice.os.launch.ClassPathTarget;
import dev.bgservice.os.launch.JarTarget;
import dev.bgservice.os.launch.LaunchSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Launch specs full of what breaks naive generators: spaces, both quote kinds, {@code %},
 * {@code $}, backslashes, {@code ;}, {@code #} and non-ASCII text in paths and arguments.
 */
public final class AwkwardSpecs {
  /** The label every fixture uses. */
  public static final String LABEL = "com.example.sync";

  /**
   * A Unix java path with a space, {@code $}, {@code %} and non-ASCII text (systemd refuses
   * quotes and backslashes in a program path).
   */
  public static final String UNIX_JAVA = "/opt/Java Runtimes/jdk-17 $HOME 100% café/bin/java";

  private AwkwardSpecs() {}

  /** The user's application on Linux or macOS, run by {@code java}. */
  public static LaunchSpec unixApplication(String java) {
    return LaunchSpec.builder(
            Path.of(java),
            new ClassPathTarget(
                List.of(
                    Path.of("/home/zoë/My App/lib/app's.jar"),
                    Path.of("/home/zoë/100% sure/lib/back\\slash;semi#hash.jar"),
                    Path.of("/home/zoë/日本語/classes")),
                "com.example.App"))
        .jvmOptions("-Xmx256m", "-Dgreeting=hello \"world\"", "-Dpath=$HOME/%h")
        .programArgs("--service-label", LABEL, "--state-dir", "/home/zoë/state dir/100% \"sync\" $X")
        .workingDirectory(Path.of("/home/zoë/state dir/100% \"sync\" $X"))
        .environment("APP_MODE", "prod \"blue\" $X %i \\ ;#")
        .environment("EMPTY", "")
        .logs(
            Path.of("/home/zoë/state dir/logs/it's 100%.stdout.log"),
            Path.of("/home/zoë/state dir/logs/it's 100%.stderr.log"))
        .build();
  }

  /** The generic host jar on Linux or macOS. */
  public static LaunchSpec unixHostJar(String java) {
    return LaunchSpec.builder(Path.of(java), new JarTarget(Path.of("/opt/bgs tools/bgs 0.1.0.jar")))
        .programArgs(
            "serve", "--label", LABEL, "--state-dir", "/var/lib/bgservice/state",
            "--service", "com.example.SyncService", "--classpath", "/opt/app/lib/*:/opt/app/extra")
        .workingDirectory(Path.of("/var/lib/bgservice/state"))
        .logs(Path.of("/var/log/bgservice/sync.out.log"), Path.of("/var/log/bgservice/sync.err.log"))
        .build();
  }

  /** The user's application on Windows. */
  public static LaunchSpec windowsApplication() {
    return LaunchSpec.builder(
            Path.of("C:\\Program Files\\Eclipse Adoptium\\jdk-17.0.9 \"LTS\"\\bin\\java.exe"),
            new ClassPathTarget(
                List.of(
                    Path.of("C:\\Users\\Zoë\\My App\\lib\\app's #1.jar"),
                    Path.of("C:\\Users\\Zoë\\100% sure\\lib\\dep.jar")),
                "com.example.App"))
        .jvmOptions("-Xmx256m", "-Dgreeting=hello world; again", "-Dtrailing=C:\\dir with space\\")
        .programArgs(
            "--service-label", LABEL, "--state-dir", "C:\\Users\\Zoë\\AppData\\Local\\bgservice\\state dir\\")
        .workingDirectory(Path.of("C:\\Users\\Zoë\\AppData\\Local\\bgservice\\state dir"))
        .logs(
            Path.of("C:\\Users\\Zoë\\AppData\\Local\\bgservice\\logs\\sync.stdout.log"),
            Path.of("C:\\Users\\Zoë\\AppData\\Local\\bgservice\\logs\\sync.stderr.log"))
        .build();
  }

  /** A definition with the default restart policy. */
  public static ServiceDefinition definition(LaunchSpec launch, boolean autostart) {
    return ServiceDefinition.of(LABEL, launch, autostart);
  }

  /** A system definition running as {@code svc-sync}. */
  public static ServiceDefinition systemDefinition(LaunchSpec launch, boolean autostart) {
    return new ServiceDefinition(
        LABEL, "Sync 100% of the things", launch, autostart, RestartPolicy.defaults(), Optional.of("svc-sync"));
  }
}
