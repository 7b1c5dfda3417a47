package dev.bgservice.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bgs} command: entry point and subcommand registry. */
@Command(
    name = "bgs",
    mixinStandardHelpOptions = true,
    versionProvider = Bgs.Version.class,
    description = "Runs and controls a bgservice background service.",
    subcommands = {DemoCommand.class})
public final class Bgs implements Runnable {

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    // One readable line per log record; client commands only need to hear about problems.
    System.setProperty(
        "java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    System.exit(new CommandLine(new Bgs()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Bgs.class.getPackage().getImplementationVersion();
      return new String[] {"bgs " + (version == null ? "development" : version)};
    }
  }
}
