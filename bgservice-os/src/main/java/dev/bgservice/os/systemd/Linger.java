package dev.bgservice.os.systemd;

import dev.bgservice.os.command.Command;
import dev.bgservice.os.command.CommandResult;
import dev.bgservice.os.host.Host;
import java.util.Optional;

/**
 * systemd "lingering": whether a user's service manager runs without that user being logged
 * in. Without it, a user unit enabled with {@code WantedBy=default.target} starts only when
 * the user logs in and is stopped when their last session ends.
 */
public final class Linger {

  /** Why lingering matters, for the CLI and the docs. */
  public static final String EXPLANATION =
      "systemd runs a user's services only while that user is logged in: without lingering, "
          + "the service starts at your first login and stops at your last logout. Enabling "
          + "lingering starts your user services at boot and keeps them running after logout.";

  private Linger() {}

  /** {@code loginctl enable-linger <user>}: needs no root for one's own user on most systems. */
  public static Command enableCommand(String user) {
    return Command.change("loginctl", "enable-linger", user);
  }

  /** {@code loginctl disable-linger <user>}. */
  public static Command disableCommand(String user) {
    return Command.change("loginctl", "disable-linger", user);
  }

  /** {@code loginctl show-user --property=Linger --value <user>}. */
  public static Command queryCommand(String user) {
    return Command.query("loginctl", "show-user", "--property=Linger", "--value", user);
  }

  /** Whether lingering is on for {@code user}; empty when loginctl cannot tell. */
  public static Optional<Boolean> isEnabled(String user, Host host) {
    CommandResult result;
    try {
      result = host.run(queryCommand(user));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    if (!result.succeeded()) {
      return Optional.empty();
    }
    String value = result.stdout().strip();
    return value.equals("yes") ? Optional.of(true) : value.equals("no") ? Optional.of(false) : Optional.empty();
  }

  /** The advice to print when lingering is off: the explanation and the command. */
  public static String advice(String user) {
    return EXPLANATION + " To enable it: " + enableCommand(user).display();
  }
}
